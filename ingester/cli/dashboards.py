"""`edgelog dashboards`: write the Grafana dashboards and alert rules to provision."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ingester.resources import bundled


def write(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Grafana provisioning folder to write into (default: grafana/provisioning "
            "of this edgelog).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 when a file is missing or stale."),
    ] = False,
) -> None:
    """Generate the dashboards' JSON (from grafana/dashboards/*.py) and the alert rules.

    Alert thresholds come from the EDGELOG_ALERT_* settings. A re-run writes the
    same bytes; only files that changed are written.
    """
    build = _build_module()
    folder = out or build.PROVISIONING
    files = build.generated(ctx.obj)
    if check:
        stale = build.stale(folder, files)
        for path in stale:
            typer.echo(f"stale: {path}")
        if stale:
            typer.echo("run `edgelog dashboards` (or `make dashboards`) to regenerate", err=True)
            raise typer.Exit(1)
        typer.echo(f"{len(files)} files up to date in {folder}")
        return
    changed = build.write(folder, files)
    for path in changed:
        typer.echo(f"wrote {folder / path}")
    typer.echo(f"{len(files) - len(changed)} files already up to date")


def _build_module():
    """grafana/ is a package beside ingester/ (in a checkout) or bundled in the wheel."""
    root = str(bundled("grafana").parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from grafana import build

    return build
