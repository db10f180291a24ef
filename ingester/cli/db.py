"""`edgelog db`: schema migrations and the embedded server."""

from typing import Annotated

import typer

from ingester import migrate
from ingester.database import database_url, embedded_server
from ingester.settings import Settings

app = typer.Typer(
    help="Schema migrations and the embedded PostgreSQL server.", no_args_is_help=True
)


@app.command()
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    url = database_url(ctx.obj)
    migrate.upgrade(url, revision)
    typer.echo(f"database at revision {migrate.current_revision(url)}")


@app.command()
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' removes everything.")],
) -> None:
    """Migrate the database down to REVISION."""
    url = database_url(ctx.obj)
    migrate.downgrade(url, revision)
    typer.echo(f"database at revision {migrate.current_revision(url) or 'base'}")


@app.command()
def url(ctx: typer.Context) -> None:
    """Print the connection URL (starts the embedded server when DATABASE_URL is unset)."""
    typer.echo(database_url(ctx.obj))


@app.command()
def stop(ctx: typer.Context) -> None:
    """Stop the embedded PostgreSQL server."""
    settings: Settings = ctx.obj
    if settings.database_url:
        typer.echo("DATABASE_URL is set: there is no embedded server to stop.")
        return
    server = embedded_server(settings)
    if server.stop():
        typer.echo(f"stopped embedded PostgreSQL (data: {server.data_dir})")
    else:
        typer.echo(f"embedded PostgreSQL was not running (data: {server.data_dir})")
