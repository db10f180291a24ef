"""The `edgelog` command line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ingester import __version__, log_format
from ingester.cli import (
    config,
    dashboards,
    db,
    forget,
    health,
    ingest,
    refresh,
    report,
    sample,
    serve,
    status,
)
from ingester.embedded import EmbeddedError
from ingester.settings import Settings, SettingsError

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("config")(config.show)
app.command("dashboards")(dashboards.write)
app.command("ingest")(ingest.run)
app.command("refresh")(refresh.run)
app.command("report")(report.run)
app.command("sample")(sample.generate)
app.command("serve")(serve.run)
app.command("status")(status.show)
app.command("health")(health.check)
app.command("forget")(forget.run)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"edgelog {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn CloudFront access logs into web analytics and CDN metrics in PostgreSQL.

    Settings come from the environment; `edgelog config` lists them all.
    """
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        typer.echo(f"edgelog: invalid settings: {exc}", err=True)
        raise typer.Exit(2) from None
    log_format.configure(settings.log_level, settings.log_format)
    ctx.obj = settings


def main() -> None:
    """Console entry point."""
    try:
        app()
    except EmbeddedError as exc:
        typer.echo(f"edgelog: embedded PostgreSQL: {exc}", err=True)
        sys.exit(1)
