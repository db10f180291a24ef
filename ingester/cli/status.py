"""`edgelog status`: where the data is and what has been loaded."""

import typer

from ingester import migrate
from ingester.database import database_url, embedded_server
from ingester.database_status import database_status


def show(ctx: typer.Context) -> None:
    """Show the database, its schema revision and what has been ingested."""
    settings = ctx.obj
    url = database_url(settings)
    if settings.database_url:
        typer.echo("database: DATABASE_URL")
    else:
        server = embedded_server(settings)
        typer.echo(f"database: embedded PostgreSQL on 127.0.0.1:{server.running_port()}")
        typer.echo(f"data directory: {server.data_dir}")
    revision, head = migrate.current_revision(url), migrate.head_revision()
    state = "up to date" if revision == head else f"newest is {head}: run `edgelog db upgrade`"
    typer.echo(f"schema revision: {revision or 'none'} ({state})")
    if revision is None:
        return
    for line in database_status(url):
        typer.echo(line)
