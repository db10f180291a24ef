"""`edgelog status`: where the data is, what has been loaded, and how the service is doing."""

import json
from datetime import UTC
from typing import Annotated

import psycopg
import typer

from ingester import migrate
from ingester.database import database_url, embedded_server
from ingester.database_status import database_status
from ingester.service_status import ServiceStatus, service_status


def show(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the service's status as one JSON object.")
    ] = False,
) -> None:
    """Show the database, what has been ingested and how `edgelog serve` is doing.

    The service's state (active, standby, not running), its last poll, the
    ingest lag (newest request against now), objects loading and failed with
    their errors, quarantined lines by reason and when each view was refreshed.
    """
    settings = ctx.obj
    url = database_url(settings)
    revision, head = migrate.current_revision(url), migrate.head_revision()
    if as_json:
        if revision != head:
            typer.echo(json.dumps({"schema": revision, "expected_schema": head}))
            raise typer.Exit(1)
        with psycopg.connect(url) as conn:
            status = service_status(conn, settings.max_attempts)
        typer.echo(json.dumps({"schema": revision, **status.as_json()}, indent=2))
        return
    if settings.database_url:
        typer.echo("database: DATABASE_URL")
    else:
        server = embedded_server(settings)
        typer.echo(f"database: embedded PostgreSQL on 127.0.0.1:{server.running_port()}")
        typer.echo(f"data directory: {server.data_dir}")
    state = "up to date" if revision == head else f"newest is {head}: run `edgelog db upgrade`"
    typer.echo(f"schema revision: {revision or 'none'} ({state})")
    if revision is None:
        return
    for line in database_status(url):
        typer.echo(line)
    if revision == head:
        with psycopg.connect(url) as conn:
            status = service_status(conn, settings.max_attempts)
        for line in describe(status):
            typer.echo(line)


def describe(status: ServiceStatus) -> list[str]:
    lines = [f"service: {status.state}"]
    lines += [f"  {i['role']}: {i['name'] or 'unnamed'} since {_when(i['since'])}"
              for i in status.instances]  # fmt: skip
    poll = status.last_poll
    if poll:
        what = (
            f"{poll['objects_loaded']:,} objects loaded, {poll['objects_failed']:,} failed"
            if poll["outcome"] != "failed"
            else poll["error"] or "failed"
        )
        kind = "backfill" if poll["backfill"] else "poll"
        lines.append(
            f"last {kind}: {_when(poll['finished_at'])} of {poll['source']}, {poll['outcome']} "
            f"({what})"
        )
        lines.append(f"last successful poll: {_when(status.last_successful_poll)}")
    else:
        lines.append("last poll: never (`edgelog serve` polls EDGELOG_SOURCE)")
    if status.newest_request is not None:
        lines.append(
            f"ingest lag: {_span(status.ingest_lag_seconds)} "
            f"(newest request {_when(status.newest_request)})"
        )
    lines.append(
        f"objects: {status.objects_loading:,} loading, {status.objects_retrying:,} to retry, "
        f"{status.objects_failed:,} failed for good"
    )
    for failed in status.failed:
        retry = f", retry after {_when(failed['retry_at'])}" if failed["retry_at"] else ""
        lines.append(
            f"  failed {failed['key']} ({failed['attempts']} attempts{retry}): {failed['error']}"
        )
    for reason, count in status.quarantined.items():
        lines.append(f"quarantined: {count:,} lines: {reason}")
    lines.append(
        f"views: last refresh {_when(status.last_refresh)}, "
        + (f"{status.days_waiting:,} days waiting" if status.days_waiting else "up to date")
    )
    for view, refreshed in status.views.items():
        lines.append(f"  {view}: {_when(refreshed)}")
    return lines


def _when(moment) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if moment is not None else "never"


def _span(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
