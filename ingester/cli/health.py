"""`edgelog health`: a yes/no answer for container healthchecks and monitors."""

import typer

from ingester import migrate
from ingester.database import database_url


def check(ctx: typer.Context) -> None:
    """Exit 0 when the database answers and its schema is current, 1 otherwise."""
    try:
        url = database_url(ctx.obj)
        revision, head = migrate.current_revision(url), migrate.head_revision()
    except Exception as exc:  # any failure to reach the database is "unhealthy"
        typer.echo(f"unhealthy: database unreachable: {exc.__class__.__name__}: {exc}")
        raise typer.Exit(1) from None
    if revision != head:
        typer.echo(f"unhealthy: schema at {revision or 'nothing'}, expected {head}")
        raise typer.Exit(1)
    typer.echo("healthy")
