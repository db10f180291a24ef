"""The database a command works on, refused with a clear message when its schema is behind."""

import typer

from ingester import migrate
from ingester.database import database_url


def current_database_url(ctx: typer.Context, command: str) -> str:
    url = database_url(ctx.obj)
    if not migrate.is_current(url):
        typer.echo(
            f"edgelog {command}: the database schema is not current: run `edgelog db upgrade`",
            err=True,
        )
        raise typer.Exit(2)
    return url
