"""Bringing visits and rollups up to date with what has been loaded.

1. Read the dirty days (a load marks them in its own transaction).
2. In one transaction, on one snapshot: rebuild the visits around those days,
   recompute every rollup of each dirty day and the visit-based rollups of
   every day a rebuilt visit touches, and log the refresh. Readers of the
   views see the old rows until it commits, then the new ones; a crash rolls
   all of it back.
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

from ingester.load.partitions import existing_days
from ingester.metrics import funnels, rollups, sessions, views
from ingester.settings import Settings

log = logging.getLogger(__name__)

REFRESH_LOCK = 0x6564_6765_7266_7368  # one refresh at a time per database


@dataclass
class Refreshed:
    days: list[date] = field(default_factory=list)  # days whose rollups were recomputed
    views: list[str] = field(default_factory=list)  # views whose rollups changed
    rows: int = 0
    seconds: float = 0.0
    full: bool = False


def refresh(
    url: str, only: Sequence[str] = (), full: bool = False, settings: Settings | None = None
) -> Refreshed:
    """Recompute what changed since the last refresh.

    `full` rebuilds from `requests` instead: visits and every rollup, or with
    `only`, the rollups of those views (after a change to their definitions).
    Funnels come from the settings' funnels file, read anew each time.
    """
    views.check(list(only))
    settings = settings or Settings.from_env()
    wanted_funnels = funnels.load(settings.funnels)
    options = Options(cohorts=settings.salt_rotation != "daily")
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", [REFRESH_LOCK])
        try:
            marks = conn.execute("select day, generation from dirty_days").fetchall()
            with conn.transaction():
                # One snapshot for everything read: marks were read before it, so it holds
                # the rows of every load they mark.
                conn.execute("set transaction isolation level repeatable read")
                conn.execute("set local time zone 'UTC'")
                if full and only:
                    result = _rebuild(conn, only, options)
                else:
                    result = _update(conn, {day for day, _ in marks}, full, options)
                if funnels.sync(conn, wanted_funnels) and not (full and not only):
                    result.rows += _rebuild(conn, ["funnels_daily"], options).rows
                _log(conn, result)
            if not only:
                _clear(conn, marks)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", [REFRESH_LOCK])
    result.seconds = time.monotonic() - started
    log.info(
        "refresh: %d days, %d rollup rows in %.1f s", len(result.days), result.rows, result.seconds
    )
    return result


@dataclass(frozen=True)
class Options:
    cohorts: bool  # false with daily visitor keys: nobody can be followed across days


def _update(conn, dirty: set[date], full: bool, options: Options) -> Refreshed:
    """Visits around the dirty days, then the rollups of every day that changed."""
    if full:
        dirty |= _stored_days(conn)
        conn.execute("truncate visits, " + ", ".join(rollups.ALL + tuple(rollups.WEEKLY)))
    touched: set[date] = set()
    for first, last in sessions.blocks(sorted(dirty)):
        touched |= sessions.resessionize(conn, first, last)
    result = Refreshed(days=sorted(dirty | touched), full=full)
    for day in result.days:
        kinds = rollups.ALL if day in dirty else rollups.FROM_VISITS
        result.rows += rollups.recompute(conn, day, kinds, options.cohorts)
    weeks = {rollups.monday(day) for day in result.days}
    result.rows += rollups.recompute_weeks(conn, weeks, tuple(rollups.WEEKLY))
    result.views = list(views.names()) if result.days else []
    return result


def _rebuild(conn, only: Sequence[str], options: Options) -> Refreshed:
    """The rollups of these views, for every stored day, from the visits as they are."""
    wanted = rollups.with_sources({r for view in only for r in views.rollups_of(view)})
    if not wanted:  # pipeline-health views read the ledger itself: nothing to rebuild
        return Refreshed(views=list(only), full=True)
    weekly = rollups.weekly_of(wanted)
    conn.execute("truncate " + ", ".join(wanted + weekly))
    result = Refreshed(days=sorted(_stored_days(conn)), views=list(only), full=True)
    for day in result.days:
        result.rows += rollups.recompute(conn, day, wanted, options.cohorts)
    weeks = {rollups.monday(day) for day in result.days}
    result.rows += rollups.recompute_weeks(conn, weeks, weekly)
    return result


def _stored_days(conn) -> set[date]:
    return {date.fromisoformat(str(day)) for day in existing_days(conn)}


def _log(conn, result: Refreshed) -> None:
    conn.execute(
        "insert into refresh_log (started_at, finished_at, full_rebuild, days, views, rows,"
        " duration_ms) values (now(), clock_timestamp(), %s, %s, %s, %s,"
        " (extract(epoch from clock_timestamp() - now()) * 1000)::integer)",
        [result.full, result.days, result.views, result.rows],
    )


def _clear(conn, marks: list[tuple[date, int]]) -> None:
    """Forget the marks this refresh handled; a day marked again since stays dirty."""
    if marks:
        conn.execute(
            "delete from dirty_days d using unnest(%s::date[], %s::bigint[]) as m(day, generation)"
            " where d.day = m.day and d.generation = m.generation",
            [[day for day, _ in marks], [gen for _, gen in marks]],
        )
