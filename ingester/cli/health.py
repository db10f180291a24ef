"""`edgelog health`: a yes/no answer for container healthchecks and monitors."""

import psycopg
import typer

from ingester import migrate
from ingester.database import database_url
from ingester.health import problems


def check(ctx: typer.Context) -> None:
    """Exit 0 when the service is doing its job, 1 otherwise, saying why.

    Unhealthy: the database is unreachable or its schema is behind; no poll of
    EDGELOG_SOURCE succeeded (and no object was loaded) within
    EDGELOG_HEALTH_POLL_AGE; or loaded days have waited for a refresh longer
    than EDGELOG_HEALTH_REFRESH_AGE.
    """
    settings = ctx.obj
    try:
        url = database_url(settings)
        revision, head = migrate.current_revision(url), migrate.head_revision()
    except Exception as exc:  # any failure to reach the database is "unhealthy"
        typer.echo(f"unhealthy: database unreachable: {exc.__class__.__name__}: {exc}")
        raise typer.Exit(1) from None
    if revision != head:
        typer.echo(f"unhealthy: schema at {revision or 'nothing'}, expected {head}")
        raise typer.Exit(1)
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            found = problems(conn, settings)
    except psycopg.OperationalError as exc:
        typer.echo(f"unhealthy: database unreachable: {exc.__class__.__name__}")
        raise typer.Exit(1) from None
    if found:
        typer.echo("unhealthy: " + "; ".join(found))
        raise typer.Exit(1)
    typer.echo("healthy")
