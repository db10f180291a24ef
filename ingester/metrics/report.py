"""The headline figures of a site over whole UTC days, read from the views only.

Every figure is exact: visitors are unions of visitor sets, never sums of
daily counts. `site=None` means every site (a visitor belongs to one site, so
sites' visitors add up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import psycopg
from psycopg.rows import dict_row

# Each query takes %(site)s (NULL for all sites), %(from)s and %(to)s (both included).
IN_RANGE = "day between %(from)s and %(to)s and (%(site)s::text is null or site = %(site)s)"

# Rows whose filter columns are '*' hold the sums (or visitor sets the unions) over every
# value: an unfiltered figure reads them alone (see sql_views/README.md).
ANY_PLACE = "device_type = '*' and country_code = '*'"
EVERYONE = f"{ANY_PLACE} and channel = '*'"
ANY_CHANNEL = "channel = '*'"
TRAFFIC = f"""
    select coalesce(sum(pageviews), 0)::bigint as pageviews,
           coalesce(sum(visits), 0)::bigint as visits,
           coalesce(sum(bounces), 0)::bigint as bounces,
           coalesce(sum(duration_s), 0)::float as duration_s
    from traffic_daily where {IN_RANGE} and {EVERYONE}
"""
VISITORS = f"""
    select coalesce(sum(bit_count(visitors)), 0)::bigint as visitors
    from (
        select site, chunk, bit_or(visitors) as visitors
        from visitors_daily where {IN_RANGE} and {ANY_CHANNEL}
        group by site, chunk
    ) as union_per_chunk
"""
REQUESTS = f"""
    select coalesce(sum(requests), 0)::bigint as requests,
           coalesce(sum(bytes), 0)::bigint as bytes,
           coalesce(sum(requests) filter (where is_bot), 0)::bigint as bot_requests,
           coalesce(sum(cache_hits), 0)::bigint as cache_hits,
           coalesce(sum(cache_lookups), 0)::bigint as cache_lookups
    from requests_daily where {IN_RANGE} and {ANY_PLACE}
"""
TOP_PAGES = f"""
    with ranked as (
        select path_id, path, sum(pageviews)::bigint as pageviews,
               sum(entries)::bigint as entries, sum(exits)::bigint as exits
        from pages_daily where {IN_RANGE} and {EVERYONE}
        group by path_id, path
        order by pageviews desc, path
        limit %(limit)s
    ),
    visitors as (
        select path_id, sum(bit_count(visitors))::bigint as visitors
        from (
            select path_id, site, chunk, bit_or(visitors) as visitors
            from page_visitors_daily
            where {IN_RANGE} and {ANY_CHANNEL} and path_id in (select path_id from ranked)
            group by path_id, site, chunk
        ) as union_per_chunk
        group by path_id
    )
    select ranked.path, ranked.pageviews, coalesce(visitors.visitors, 0) as visitors,
           ranked.entries, ranked.exits
    from ranked left join visitors using (path_id)
    order by ranked.pageviews desc, ranked.path
"""
CHANNELS = f"""
    with visits as (
        select channel, sum(visits)::bigint as visits
        from sources_daily where {IN_RANGE} and {ANY_PLACE}
        group by channel
    ),
    visitors as (
        select channel, sum(bit_count(visitors))::bigint as visitors
        from (
            select value as channel, site, chunk, bit_or(visitors) as visitors
            from source_visitors_daily
            where {IN_RANGE} and kind = 'channel'
            group by value, site, chunk
        ) as union_per_chunk
        group by channel
    )
    select channel, visits.visits, visitors.visitors
    from visits join visitors using (channel)
    order by visitors desc, channel
"""
AUDIENCE = f"""
    select value, sum(bit_count(visitors))::bigint as visitors
    from (
        select value, site, chunk, bit_or(visitors) as visitors
        from audience_visitors_daily
        where {IN_RANGE} and kind = %(kind)s
        group by value, site, chunk
    ) as union_per_chunk
    group by value
    order by visitors desc, value
    limit %(limit)s
"""
# Latency percentiles: histograms of every row merged bucket by bucket, then read (within 1 %).
LATENCY = f"""
    with merged as (
        select bucket, sum(n)::bigint as n
        from latency_daily, unnest({{buckets}}, {{counts}}) as h(bucket, n)
        where {IN_RANGE}
        group by bucket
    )
    select latency_quantile(array_agg(bucket), array_agg(n), 0.95) from merged
"""
STATUSES = f"""
    select coalesce(sum(requests), 0)::bigint as requests,
           coalesce(sum(requests) filter (where status_class = '4xx'), 0)::bigint as errors_4xx,
           coalesce(sum(requests) filter (where status_class = '5xx'), 0)::bigint as errors_5xx
    from results_daily where {IN_RANGE}
"""
EDGES = f"""
    with ranked as (
        select edge_location, max(city) as city, max(country_code) as country_code,
               sum(requests)::bigint as requests, sum(cache_hits)::bigint as cache_hits,
               sum(cache_lookups)::bigint as cache_lookups
        from edges_daily where {IN_RANGE}
        group by edge_location
        order by requests desc, edge_location
        limit %(limit)s
    ),
    merged as (
        select edge_location, bucket, sum(n)::bigint as n
        from edges_daily, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)
        where {IN_RANGE} and edge_location in (select edge_location from ranked)
        group by edge_location, bucket
    ),
    latency as (
        select edge_location, latency_quantile(array_agg(bucket), array_agg(n), 0.95) as p95
        from merged group by edge_location
    )
    select ranked.edge_location, ranked.city, ranked.country_code, ranked.requests,
           case when ranked.cache_lookups > 0
                then ranked.cache_hits::float / ranked.cache_lookups else 0.0 end as hit_ratio,
           latency.p95 as time_taken_p95_ms
    from ranked left join latency using (edge_location)
    order by ranked.requests desc, ranked.edge_location
"""
TOP_ERRORS = f"""
    select path, status, sum(requests)::bigint as requests,
           (array_agg(referrer order by requests desc, referrer))[1] as top_referrer
    from errors_daily where {IN_RANGE}
    group by path, status
    order by requests desc, path, status
    limit %(limit)s
"""
BOTS = f"""
    with ranked as (
        select bot_name, max(category) as category, sum(requests)::bigint as requests,
               sum(bytes)::bigint as bytes
        from bots_daily where {IN_RANGE}
        group by bot_name
        order by requests desc, bot_name
        limit %(limit)s
    )
    select ranked.bot_name, ranked.category, ranked.requests, ranked.bytes,
           (select count(distinct client) from bots_daily, unnest(clients) as client
            where {IN_RANGE} and bots_daily.bot_name = ranked.bot_name)::bigint as clients
    from ranked
    order by ranked.requests desc, ranked.bot_name
"""
LAST_DAY = "select max(day) from traffic_daily where %(site)s::text is null or site = %(site)s"


@dataclass
class Period:
    site: str | None
    first: date
    last: date

    @property
    def params(self) -> dict:
        return {"site": self.site, "from": self.first, "to": self.last}

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        length = self.last - self.first + timedelta(days=1)
        return Period(self.site, self.first - length, self.first - timedelta(days=1))


def days_waiting(conn: psycopg.Connection) -> int:
    """Days loaded since the last refresh: the views do not count them yet."""
    return conn.execute("select count(*) from dirty_days").fetchone()[0]


def default_period(conn: psycopg.Connection, site: str | None, days: int = 7) -> Period:
    """The last `days` days up to the newest day with data (today's when there is none)."""
    last = conn.execute(LAST_DAY, {"site": site}).fetchone()[0] or date.today()
    return Period(site, last - timedelta(days=days - 1), last)


def headline(conn: psycopg.Connection, period: Period) -> dict:
    cur = conn.cursor(row_factory=dict_row)
    figures = cur.execute(TRAFFIC, period.params).fetchone()
    figures |= cur.execute(VISITORS, period.params).fetchone()
    figures |= cur.execute(REQUESTS, period.params).fetchone()
    visits = figures["visits"]
    return {
        "visitors": figures["visitors"],
        "visits": visits,
        "pageviews": figures["pageviews"],
        "views_per_visit": _ratio(figures["pageviews"], visits),
        "bounce_rate": _ratio(figures["bounces"], visits),
        "visit_duration_s": _ratio(figures["duration_s"], visits),
        "requests": figures["requests"],
        "bytes": figures["bytes"],
        "bot_requests": figures["bot_requests"],
        "cache_hit_ratio": _ratio(figures["cache_hits"], figures["cache_lookups"]),
    }


def report(conn: psycopg.Connection, period: Period, limit: int = 10) -> dict:
    """Everything `edgelog report --json` prints."""
    params = {**period.params, "limit": limit}
    cur = conn.cursor(row_factory=dict_row)

    def audience(kind: str, column: str) -> list[dict]:
        rows = cur.execute(AUDIENCE, {**params, "kind": kind}).fetchall()
        return [{column: row["value"], "visitors": row["visitors"]} for row in rows]

    return {
        "site": period.site,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        **headline(conn, period),
        "top_pages": cur.execute(TOP_PAGES, params).fetchall(),
        "channels": cur.execute(CHANNELS, params).fetchall(),
        "countries": audience("country", "country_code"),
        "devices": audience("device", "device_type"),
        **cdn(conn, period),
        "edges": cur.execute(EDGES, params).fetchall(),
        "top_error_paths": cur.execute(TOP_ERRORS, params).fetchall(),
        "bots": cur.execute(BOTS, params).fetchall(),
    }


def cdn(conn: psycopg.Connection, period: Period) -> dict:
    """Error rates and latency percentiles (ms, within 1 %: ingester/metrics/latency.py)."""
    cur = conn.cursor(row_factory=dict_row)
    statuses = cur.execute(STATUSES, period.params).fetchone()

    def p95(buckets: str, counts: str) -> float | None:
        query = LATENCY.format(buckets=buckets, counts=counts)
        return conn.execute(query, period.params).fetchone()[0]

    return {
        "error_4xx_rate": _ratio(statuses["errors_4xx"], statuses["requests"]),
        "error_5xx_rate": _ratio(statuses["errors_5xx"], statuses["requests"]),
        "time_taken_p95_ms": p95("time_taken_buckets", "time_taken_counts"),
        "ttfb_p95_ms": p95("ttfb_buckets", "ttfb_counts"),
    }


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0
