"""`edgelog serve`'s daily maintenance, at start and then at 03:00 UTC.

- Retention (EDGELOG_RETENTION_DAYS): whole day partitions older than the
  period are dropped and their days marked dirty in the same transaction, so
  the refresh that follows removes their rollups and rebuilds what spans them.
- Quarantined lines older than EDGELOG_QUARANTINE_DAYS are deleted.
- Ledger rows of S3 objects whose every day is past retention are deleted:
  polls no longer list keys that old, so nothing would load them again. Rows
  of local files stay, as a directory is listed whole at every poll and its
  old files would otherwise be loaded again.
- The poll log keeps 30 days (and the newest poll of each outcome).
- Yesterday's partition, now complete, is analyzed, so the planner knows its
  final size before autovacuum gets to it.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import psycopg
from psycopg import sql

from ingester.load.ledger import mark_dirty
from ingester.load.partitions import bounds, drop_before
from ingester.polls import prune as prune_polls
from ingester.settings import Settings

log = logging.getLogger(__name__)


def retention(conn: psycopg.Connection, settings: Settings, today: date) -> list[str]:
    """Drop the partitions past retention; the days they held, now dirty."""
    if not settings.retention_days:
        return []
    cutoff = today - timedelta(days=settings.retention_days)
    with conn.transaction():
        dropped = drop_before(conn, cutoff)
        mark_dirty(conn, dropped)  # their rollups go at the refresh
        if dropped:
            # The ledger rows of S3 objects that held only those days: never listed again.
            conn.execute(
                "delete from ingest_ledger where source like 's3://%%' and status = 'loaded'"
                " and days <> '{}' and %s::date > all(days)",
                [cutoff],
            )
    if dropped:
        log.info("retention: dropped %d day partition(s) older than %s", len(dropped), cutoff)
    return dropped


def prune(conn: psycopg.Connection, settings: Settings) -> None:
    if settings.quarantine_days:
        gone = conn.execute(
            "delete from quarantine where created_at < now() - make_interval(days => %s)",
            [settings.quarantine_days],
        ).rowcount
        if gone:
            log.info("maintenance: deleted %d quarantined line(s) past their retention", gone)
    prune_polls(conn)


def analyze_yesterday(conn: psycopg.Connection, today: date) -> None:
    start = datetime.combine(today - timedelta(days=1), datetime.min.time())
    for name, lower, _upper in bounds(conn):
        if lower == start:
            conn.execute(sql.SQL("analyze {}").format(sql.Identifier(name)))


def daily(conn: psycopg.Connection, settings: Settings) -> list[str]:
    """Everything above, on an autocommit connection; returns the days retention dropped."""
    today = datetime.now(UTC).date()
    dropped = retention(conn, settings, today)
    prune(conn, settings)
    analyze_yesterday(conn, today)
    return dropped
