"""`edgelog ingest`: load log files into PostgreSQL."""

from datetime import UTC, datetime
from typing import Annotated

import psycopg
import typer

from ingester.cli.refresh import describe as refreshed
from ingester.database import database_url
from ingester.ingest import SchemaNotCurrent, Summary, ingest
from ingester.load.salt import SaltError
from ingester.load.workers import WorkerDied
from ingester.metrics.refresh import refresh
from ingester.progress import progress_for_terminal
from ingester.sources import SourceError


def run(
    ctx: typer.Context,
    locations: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories, globs (quote them) or s3://bucket/prefix.", show_default=False
        ),
    ],
    since: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d", "%Y-%m-%dT%H", "%Y-%m-%dT%H:%M"],
            help="Only objects whose name dates them at or after this UTC time (S3 and "
            "CloudFront-named files).",
        ),
    ] = None,
    no_refresh: Annotated[
        bool,
        typer.Option(
            "--no-refresh",
            help="Do not refresh the metric views at the end (run `edgelog refresh` later).",
        ),
    ] = False,
) -> None:
    """Load CloudFront access logs into PostgreSQL, each object exactly once.

    Objects already in the ledger with the same ETag (or size) are skipped, a bad
    line is quarantined with its reason, and a bad object is marked failed while
    the others load. Then the metric views are refreshed for the days loaded.
    Exits 1 when any object failed or the database went away.
    """
    settings = ctx.obj
    url = database_url(settings)
    progress = progress_for_terminal()
    try:
        summary = ingest(locations, settings, url, progress, since and since.replace(tzinfo=UTC))
    except (SchemaNotCurrent, SourceError, SaltError) as exc:
        progress.close()
        typer.echo(f"edgelog ingest: {exc}", err=True)
        raise typer.Exit(2) from None
    except (psycopg.OperationalError, WorkerDied) as exc:
        progress.close()
        typer.echo(f"edgelog ingest: the database connection failed: {exc}", err=True)
        typer.echo("Objects being loaded were rolled back; the next run loads them.", err=True)
        raise typer.Exit(1) from None
    progress.close()
    for line in describe(summary):
        typer.echo(line)
    if not no_refresh:
        try:
            typer.echo(refreshed(refresh(url, settings=settings)))
        except psycopg.OperationalError as exc:
            typer.echo(f"edgelog ingest: refreshing the views failed: {exc}", err=True)
            typer.echo("What was loaded is kept; `edgelog refresh` finishes it.", err=True)
            raise typer.Exit(1) from None
    if summary.failed:
        raise typer.Exit(1)


def describe(summary: Summary) -> list[str]:
    lines = [
        f"objects: {summary.loaded:,} loaded, {summary.skipped:,} skipped, "
        f"{summary.failed:,} failed"
        + (f", {summary.retried:,} retried after a conflict" if summary.retried else ""),
        f"lines:   {summary.lines_loaded:,} loaded, {summary.lines_duplicate:,} duplicate, "
        f"{summary.lines_rejected:,} quarantined ({summary.lines_read:,} read)",
        f"speed:   {summary.lines_per_second:,.0f} lines/s ({summary.seconds:.1f} s)",
    ]
    lines += [f"failed:  {o.ref.key}: {o.error}" for o in summary.failures]
    return lines
