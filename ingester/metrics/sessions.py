"""Visits, rebuilt incrementally around the days whose page views changed.

Whether two page views are in one visit depends only on the gap between them,
so a change in [lo, hi) can only alter visits that come within 30 minutes of
it. Those visits are deleted, and their page views (also those outside the
window) are sessionized again together with the window's. Every other visit
keeps its page views and its gaps, so the result equals a rebuild from scratch.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import psycopg

from ingester.metrics.queries import sql

GAP = timedelta(minutes=30)

REPLACE_VISITS = """
    create temp table replaced_visits on commit drop as
    with deleted as (
        delete from visits
        where tstzrange(started_at, ended_at, '[]') && tstzrange(%(lo)s, %(hi)s, '[)')
        returning site_id, visitor_number, started_at, ended_at
    )
    select * from deleted
"""
# A late file can show a visitor earlier than first seen: its cohort changes, and so does
# every day it was present on (see rollup_cohort_visitors_daily).
EARLIER_FIRST_SEEN = """
    create temp table earlier_first_seen on commit drop as
    with earliest as (
        select site_id, visitor_number, min(ts) as seen
        from session_pageviews
        group by site_id, visitor_number
    ),
    moved as (
        update visitor_numbers as numbers
        set first_seen = earliest.seen
        from earliest
        where numbers.site_id = earliest.site_id and numbers.number = earliest.visitor_number
          and earliest.seen < numbers.first_seen
        returning numbers.site_id, numbers.number as visitor_number
    )
    select * from moved
"""
SPANNED_DAYS = """
    select distinct d::date
    from (
        select started_at, ended_at from replaced_visits
        union all
        select started_at, ended_at from visits
        where tstzrange(started_at, ended_at, '[]') && tstzrange(%(lo)s, %(hi)s, '[)')
        union all
        select started_at, ended_at
        from visits join earlier_first_seen using (site_id, visitor_number)
    ) as v,
    generate_series(date_trunc('day', v.started_at), date_trunc('day', v.ended_at), '1 day') as d
"""


def blocks(days: list[date]) -> list[tuple[date, date]]:
    """Runs of consecutive days, as (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def resessionize(conn: psycopg.Connection, first: date, last: date) -> set[date]:
    """Rebuild the visits around days first..last; returns the days any changed visit touches."""
    lo, hi = midnight(first), midnight(last + timedelta(days=1))
    window = {"lo": lo, "hi": hi}
    conn.execute(sql("number_visitors"), window)
    conn.execute(
        "create temp table session_pageviews ("
        " site_id integer, visitor_number integer, ts timestamptz, request_key bigint,"
        " path_id integer, referrer_id integer, campaign_id integer, channel_id smallint,"
        " location_id integer, user_agent_id integer) on commit drop"
    )
    conn.execute(REPLACE_VISITS, {"lo": lo - GAP, "hi": hi + GAP})
    first_start, last_end = conn.execute(
        "select min(started_at), max(ended_at) from replaced_visits"
    ).fetchone()
    span = {"span_lo": min(lo, first_start or lo), "span_hi": max(hi, last_end or hi)}
    conn.execute(sql("session_pageviews"), {**window, **span})
    conn.execute(EARLIER_FIRST_SEEN)
    conn.execute(sql("sessionize"))
    touched = conn.execute(SPANNED_DAYS, {"lo": lo - GAP, "hi": hi + GAP}).fetchall()
    conn.execute("drop table session_pageviews, replaced_visits, earlier_first_seen")
    return {row[0] for row in touched}
