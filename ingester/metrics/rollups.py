"""Per-day rollups: delete a day's rows, insert them again from that day alone.

Two kinds: those read from the day's requests (all of them, bots and assets
included), which change only when the day's requests do, and those read from
the day's page views and visits, which also change when a visit that touches
the day is rebuilt (a late file on the day before can extend it past midnight).
"""

from __future__ import annotations

from datetime import date, timedelta

import psycopg

from ingester.enrich import bots
from ingester.metrics.queries import sql
from ingester.metrics.sessions import midnight

# In order: a daily rollup sums its day's rows of the hourly one before it.
FROM_REQUESTS = (
    "rollup_requests_hourly",
    "rollup_requests_daily",
    "rollup_not_found_daily",
    "rollup_results_hourly",
    "rollup_results_daily",
    "rollup_protocols_daily",
    "rollup_edges_hourly",
    "rollup_edges_daily",
    "rollup_latency_hourly",
    "rollup_latency_daily",
    "rollup_paths_daily",
    "rollup_errors_daily",
    "rollup_bots_daily",
    "rollup_bot_paths_daily",
)
FROM_VISITS = (
    "rollup_traffic_hourly",
    "rollup_traffic_daily",
    "rollup_visitors_hourly",
    "rollup_visitors_daily",
    "rollup_pages_daily",
    "rollup_page_visitors_daily",
    "rollup_sources_daily",
    "rollup_source_visitors_daily",
    "rollup_audience_visitors_daily",
    "rollup_visit_lengths_daily",
    "rollup_transitions_daily",
    "rollup_transition_visitors_daily",
    "rollup_path_triples_daily",
    "rollup_cohort_visitors_daily",
    "rollup_funnel_visitors_daily",
)
HOURLY = {
    "rollup_requests_hourly",
    "rollup_traffic_hourly",
    "rollup_visitors_hourly",
    "rollup_results_hourly",
    "rollup_edges_hourly",
    "rollup_latency_hourly",
}
ALL = FROM_REQUESTS + FROM_VISITS
# Weekly rollups (Monday to Sunday, UTC) and the daily ones they sum: long ranges read whole
# weeks from them and only the days around those weeks from the daily ones.
WEEKLY = {
    "rollup_audience_visitors_weekly": "rollup_audience_visitors_daily",
    "rollup_transitions_weekly": "rollup_transitions_daily",
    "rollup_path_triples_weekly": "rollup_path_triples_daily",
}

DAY_PAGEVIEWS = """
    create temp table day_pageviews (
        site_id integer, visitor_number integer, hour timestamptz, path_id integer,
        channel text, device_type text, country_code text, location_id integer,
        user_agent_id integer
    ) on commit drop
"""


def recompute(
    conn: psycopg.Connection, day: date, rollups: tuple[str, ...], cohorts: bool = True
) -> int:
    """Replace the day's rows of `rollups`; returns the rows written.

    `cohorts` false (daily visitor keys) leaves the cohort rollup empty."""
    params = {"day": day, "day_start": midnight(day), "day_end": midnight(day + timedelta(1))}
    params["cohorts"] = cohorts
    params["bot_categories"] = bots.categories_json()
    written = 0
    needs_pageviews = any(r in FROM_VISITS for r in rollups)
    if needs_pageviews:
        conn.execute(DAY_PAGEVIEWS)
        conn.execute(sql("day_pageviews"), params)
    for rollup in rollups:
        if rollup in HOURLY:
            where = "hour >= %(day_start)s and hour < %(day_end)s"
        else:
            where = "day = %(day)s"
        conn.execute(f"delete from {rollup} where {where}", params)
        written += conn.execute(sql(rollup), params).rowcount
    if needs_pageviews:
        conn.execute("drop table day_pageviews")
    return written


def monday(day: date) -> date:
    """The first day of `day`'s week."""
    return day - timedelta(days=day.weekday())


def recompute_weeks(conn: psycopg.Connection, weeks: set[date], rollups: tuple[str, ...]) -> int:
    """Replace the rows of these weeks in the weekly `rollups` from their daily rollups, which
    must be up to date; returns the rows written."""
    written = 0
    for week in sorted(weeks):
        params = {"week": week, "week_end": week + timedelta(days=7)}
        for rollup in rollups:
            conn.execute(f"delete from {rollup} where week = %(week)s", params)
            written += conn.execute(sql(rollup), params).rowcount
    return written


def with_sources(names: set[str]) -> tuple[str, ...]:
    """The daily and hourly rollups among `names`, and those their daily ones sum (hourly)
    and weekly ones sum (daily), in recomputing order; weekly ones are `weekly_of` them."""
    names = set(names) | {WEEKLY[name] for name in names if name in WEEKLY}
    hourly = {name.replace("_daily", "_hourly") for name in names}
    needed = names | (hourly & set(ALL))
    return tuple(r for r in ALL if r in needed)


def weekly_of(names) -> tuple[str, ...]:
    """The weekly rollups that sum any of these daily ones."""
    return tuple(weekly for weekly, daily in WEEKLY.items() if daily in set(names))
