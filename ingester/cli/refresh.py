"""`edgelog refresh`: bring the metric views up to date with what has been loaded."""

from typing import Annotated

import psycopg
import typer

from ingester.cli.schema import current_database_url
from ingester.metrics.refresh import Refreshed, refresh


def run(
    ctx: typer.Context,
    views: Annotated[
        list[str] | None,
        typer.Argument(
            help="With --full: rebuild only what these views read (default: everything).",
            show_default=False,
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Rebuild from the requests table instead of recomputing the days loaded since "
            "the last refresh (after a bulk delete, or a change of definitions).",
        ),
    ] = False,
) -> None:
    """Recompute the metrics of the days loaded since the last refresh.

    Visits crossing into those days are rebuilt whole, so late and out-of-order
    files give the same figures as a full rebuild. Every view is brought up to
    date at once (they share the visits); readers are never blocked.
    """
    if views and not full:
        typer.echo("edgelog refresh: name views with --full (a refresh updates them all)", err=True)
        raise typer.Exit(2)
    try:
        url = current_database_url(ctx, "refresh")
        result = refresh(url, views or (), full=full, settings=ctx.obj)
    except ValueError as exc:  # an unknown view, or a funnels file that cannot be used
        typer.echo(f"edgelog refresh: {exc}", err=True)
        raise typer.Exit(2) from None
    except psycopg.OperationalError as exc:
        typer.echo(f"edgelog refresh: the database connection failed: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(describe(result))


def describe(result: Refreshed) -> str:
    days = f"{len(result.days):,} days" if result.days else "no new days"
    span = f" ({result.days[0]} to {result.days[-1]})" if len(result.days) > 1 else ""
    return f"refreshed: {days}{span}, {result.rows:,} rollup rows in {result.seconds:.1f} s"
