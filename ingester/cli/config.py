"""`edgelog config`: the effective settings."""

from typing import Annotated

import typer

from ingester.settings import Settings, declarations


def show(
    ctx: typer.Context,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the settings reference table for the README.")
    ] = False,
) -> None:
    """Print every setting, its effective value (secrets masked) and what it does."""
    if markdown:
        typer.echo("| variable | default | what it does |\n|---|---|---|")
        for spec in declarations():
            default = "" if callable(spec.default) or spec.default is None else spec.default
            shown = f"`{default}`" if len(default) <= 40 else "a list, see `edgelog config`"
            typer.echo(f"| `{spec.env}` | {shown if default else ''} | {spec.help} |")
        return
    settings: Settings = ctx.obj
    for env, value, help_text in settings.described():
        typer.echo(f"{env}={value}")
        typer.echo(f"    {help_text}")
