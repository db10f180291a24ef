"""Bringing visits, rollups and views up to date with what has been loaded.

1. Read the dirty days (a load marks them in its own transaction).
2. In one transaction, on one snapshot: rebuild the visits around those days,
   recompute every rollup of each dirty day and the visit-based rollups of
   every day a rebuilt visit touches, refresh the views concurrently (readers
   never wait) and log the refresh. A crash rolls all of it back.
3. Clear the marks that were read, unless a load marked the day again meanwhile:
   then it is simply recomputed next time.
One refresh runs at a time per database (an advisory lock).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import psycopg
from psycopg import sql as pgsql

from ingester.load.partitions import existing_days
from ingester.metrics import rollups, sessions, views

log = logging.getLogger(__name__)

REFRESH_LOCK = 0x6564_6765_7266_7368  # one refresh at a time per database


@dataclass
class Refreshed:
    days: list[date] = field(default_factory=list)  # days whose rollups were recomputed
    views: list[str] = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0
    full: bool = False


def refresh(url: str, only: Sequence[str] = (), full: bool = False) -> Refreshed:
    """Recompute what changed since the last refresh; refresh `only` these views (default all).

    `full` rebuilds visits and every rollup from `requests` instead.
    """
    views.check(list(only))
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", [REFRESH_LOCK])
        try:
            marks = conn.execute("select day, generation from dirty_days").fetchall()
            result = _refresh(conn, {day for day, _ in marks}, only or views.names(), full)
            _clear(conn, marks)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", [REFRESH_LOCK])
    result.seconds = time.monotonic() - started
    log.info(
        "refresh: %d days, %d rollup rows, %d views in %.1f s",
        len(result.days), result.rows, len(result.views), result.seconds,
    )  # fmt: skip
    return result


def _refresh(conn, dirty: set[date], wanted: Sequence[str], full: bool) -> Refreshed:
    result = Refreshed(full=full)
    with conn.transaction():
        # One snapshot for everything read: marks were read before it, so it holds their rows.
        conn.execute("set transaction isolation level repeatable read")
        conn.execute("set local time zone 'UTC'")
        started_at = conn.execute("select now()").fetchone()[0]
        if full:
            dirty |= {date.fromisoformat(d) for d in existing_days(conn)}
            conn.execute("truncate visits, " + ", ".join(rollups.ALL))
        touched: set[date] = set()
        for first, last in sessions.blocks(sorted(dirty)):
            touched |= sessions.resessionize(conn, first, last)
        for day in sorted(dirty | touched):
            kinds = rollups.ALL if day in dirty else rollups.FROM_VISITS
            result.rows += rollups.recompute(conn, day, kinds)
        result.days = sorted(dirty | touched)
        if result.days or full:
            conn.execute("update view_state set stale = true")
        result.views = _refresh_views(conn, wanted, full)
        conn.execute(
            "insert into refresh_log (started_at, finished_at, full_rebuild, days, views, rows,"
            " duration_ms) values (%s, clock_timestamp(), %s, %s, %s, %s,"
            " (extract(epoch from clock_timestamp() - %s) * 1000)::integer)",
            [started_at, full, result.days, result.views, result.rows, started_at],
        )
    return result


def _refresh_views(conn, wanted: Sequence[str], full: bool) -> list[str]:
    stale = {
        name for (name,) in conn.execute("select view_name from view_state where stale").fetchall()
    }
    chosen = [name for name in wanted if full or name in stale]
    for name in chosen:
        conn.execute(
            pgsql.SQL("refresh materialized view concurrently {}").format(pgsql.Identifier(name))
        )
        conn.execute(
            "update view_state set stale = false, refreshed_at = clock_timestamp()"
            " where view_name = %s",
            [name],
        )
    return chosen


def _clear(conn, marks: list[tuple[date, int]]) -> None:
    """Forget the marks this refresh handled; a day marked again since stays dirty."""
    if marks:
        conn.execute(
            "delete from dirty_days d using unnest(%s::date[], %s::bigint[]) as m(day, generation)"
            " where d.day = m.day and d.generation = m.generation",
            [[day for day, _ in marks], [gen for _, gen in marks]],
        )
