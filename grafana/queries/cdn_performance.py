"""SQL of the CDN performance dashboard (grafana/dashboards/cdn_performance.py)."""

from grafana.queries.common import BOTS, DAYS, HOURS, SITE, ratio
from grafana.variables import everything, matches

EDGE = matches("edge_location", "edge")
# Requests of every edge location are the '*' rows of requests_*: far fewer than edges_*.
ALL_EDGES = everything("edge")
# Paths whose p95 is worth ranking: the most requested, and only with enough requests for a
# percentile to mean something. Merging histograms is the costly part, so only theirs are.
BUSIEST_PATHS = 25
MIN_PATH_REQUESTS = 100
# Edge locations in the table, with their p95 (merged histograms, as for paths).
TOP_EDGES = 10


def _percent(part: str, whole: str) -> str:
    """A share in percent, rounded, for tables (whose numbers share one unit)."""
    return f"round((100 * {ratio(part, whole)})::numeric, 1)"


def _cache_rows(grain: str) -> str:
    """Cache counts of the chosen edges per hour or day (as `at`): with every edge, the '*'
    rows of requests_<grain>; else the chosen edges' rows of edges_<grain>. The filter on the
    selection is a constant, so PostgreSQL skips the branch it rules out."""
    at, period = ("day", DAYS) if grain == "daily" else ("hour", HOURS)
    columns = "requests, bytes, cache_hits, cache_lookups, cache_hit_bytes, cache_lookup_bytes"
    return f"""
    select {at} as at, {columns}
    from requests_{grain}
    where {ALL_EDGES} and {SITE} and {period} and {BOTS}
      and device_type = '*' and country_code = '*'
    union all
    select {at} as at, {columns}
    from edges_{grain}
    where not {ALL_EDGES} and {SITE} and {period} and {BOTS} and {EDGE}
    """


def _cache_figure(figure: str, label: str) -> str:
    return f"""
    with cache as ({_cache_rows("daily")})
    select {figure} as "{label}" from cache
    """


REQUESTS = _cache_figure("coalesce(sum(requests), 0)::bigint", "Requests")
HIT_RATIO = _cache_figure(ratio("sum(cache_hits)", "sum(cache_lookups)"), "By requests")
BYTE_HIT_RATIO = _cache_figure(ratio("sum(cache_hit_bytes)", "sum(cache_lookup_bytes)"), "By bytes")
ORIGIN_OFFLOAD = _cache_figure(ratio("sum(cache_hit_bytes)", "sum(bytes)"), "Origin offload")
MISS_BYTES = _cache_figure(
    "coalesce(sum(cache_lookup_bytes - cache_hit_bytes), 0)::bigint", "Fetched on misses"
)

HIT_RATIO_OVER_TIME = f"""
with cache as ({_cache_rows("hourly")})
select $__timeGroup(at, $__interval) as time,
       {ratio("sum(cache_hits)", "sum(cache_lookups)")} as "By requests",
       {ratio("sum(cache_hit_bytes)", "sum(cache_lookup_bytes)")} as "By bytes"
from cache
group by 1
order by time
"""
# Stacked, the three add up to every byte served: the origin offload is the first one's share.
BYTES_OVER_TIME = f"""
with cache as ({_cache_rows("hourly")})
select $__timeGroup(at, $__interval) as time,
       sum(cache_hit_bytes)::bigint as "Cache hits (Hit, RefreshHit)",
       sum(cache_lookup_bytes - cache_hit_bytes)::bigint as "Fetched on misses (Miss)",
       sum(bytes - cache_lookup_bytes)::bigint as "Neither (errors, redirects…)"
from cache
group by 1
order by time
"""


def _range_percentile(kind: str, q: float, label: str) -> str:
    """A percentile of the whole range, from latency_daily's histograms added up."""
    return f"""
    with merged as (
        select bucket, sum(n)::bigint as n
        from latency_daily, unnest({kind}_buckets, {kind}_counts) as h(bucket, n)
        where {SITE} and {DAYS}
        group by bucket
    )
    select coalesce(latency_quantile(array_agg(bucket), array_agg(n), {q}), 0) as "{label}"
    from merged
    """


TIME_TAKEN_P95 = _range_percentile("time_taken", 0.95, "p95 time taken")
TTFB_P95 = _range_percentile("ttfb", 0.95, "p95 time to first byte")


def _percentiles_per_hour(kind: str) -> str:
    """Each hour's kept p50, p95 and p99 (no histogram read, so cheap over any range). Kept
    percentiles never add up across sites: with several sites, each has its own series."""
    return f"""
    select hour as time,
           case when min(site) over () = max(site) over () then q.name
                else site || ' ' || q.name end as metric,
           q.ms as value
    from latency_hourly,
         lateral (values ('p50', {kind}_p50_ms), ('p95', {kind}_p95_ms), ('p99', {kind}_p99_ms))
             as q(name, ms)
    where {SITE} and {HOURS}
    order by time, metric
    """


TIME_TAKEN_OVER_TIME = _percentiles_per_hour("time_taken")
TTFB_OVER_TIME = _percentiles_per_hour("ttfb")

RESULT_TYPES_OVER_TIME = f"""
select $__timeGroup(hour, $__interval) as time,
       case when result_type = '' then '(not logged)' else result_type end as metric,
       sum(requests)::bigint as value
from results_hourly
where {SITE} and {HOURS} and {BOTS}
group by 1, 2
order by time, metric
"""
RESULT_TYPES = f"""
select case when result_type = '' then '(not logged)' else result_type end as "Result type",
       sum(requests)::bigint as "Requests",
       {_percent("sum(requests)", "sum(sum(requests)) over ()")} as "Share %",
       round(sum(bytes) / 1e6, 1) as "MB"
from results_daily
where {SITE} and {DAYS} and {BOTS}
group by 1
order by 2 desc, 1
"""
INCOMPLETE = f"""
select coalesce(sum(requests) filter (where is_incomplete), 0)::bigint as "Incomplete downloads",
       round((100 * {
    ratio("sum(requests) filter (where is_incomplete)", "sum(requests) filter (where status = 200)")
})::numeric, 2) || ' % of status 200' as "share"
from results_daily
where {SITE} and {DAYS} and {BOTS}
"""
INCOMPLETE_OVER_TIME = f"""
select $__timeGroup(hour, $__interval) as time,
       coalesce(sum(requests) filter (where is_incomplete), 0)::bigint as "Incomplete downloads",
       coalesce(sum(requests) filter (where is_range), 0)::bigint as "Range requests (206)"
from results_hourly
where {SITE} and {HOURS} and {BOTS}
group by 1
order by time
"""

EDGE_MAP = f"""
select edge_location, max(city) as city, max(latitude) as latitude,
       max(longitude) as longitude, sum(requests)::bigint as requests
from edges_daily
where {SITE} and {DAYS} and {BOTS} and {EDGE} and latitude is not null
group by edge_location
order by requests desc, edge_location
"""
# p95s only for the busiest edges: merging every edge's histograms costs several times more.
EDGES = f"""
with ranked as (
    select edge_location, max(city) as city, max(country_code) as country_code,
           sum(requests)::bigint as requests, sum(cache_hits)::bigint as cache_hits,
           sum(cache_lookups)::bigint as cache_lookups,
           sum(status_4xx + status_5xx + status_000)::bigint as errors
    from edges_daily
    where {SITE} and {DAYS} and {BOTS} and {EDGE}
    group by edge_location
    order by requests desc, edge_location
    limit {TOP_EDGES}
),
merged as (
    select edge_location, bucket, sum(n)::bigint as n
    from edges_daily, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)
    where {SITE} and {DAYS} and {BOTS}
      and edge_location in (select edge_location from ranked)
    group by edge_location, bucket
),
latency as (
    select edge_location, latency_quantile(array_agg(bucket), array_agg(n), 0.95) as p95
    from merged
    group by edge_location
)
select ranked.edge_location as "Edge", ranked.city as "City",
       ranked.country_code as "Country", ranked.requests as "Requests",
       {_percent("ranked.cache_hits", "ranked.cache_lookups")} as "Hit ratio %",
       {_percent("ranked.errors", "ranked.requests")} as "Error rate %",
       round(latency.p95::numeric) as "p95 time taken ms"
from ranked left join latency using (edge_location)
order by ranked.requests desc, ranked.edge_location
"""


SLOWEST_PATHS = f"""
with busiest as (
    select path_id, max(path) as path, sum(requests)::bigint as requests,
           sum(cache_hits)::bigint as cache_hits, sum(cache_lookups)::bigint as cache_lookups
    from path_performance_daily
    where {SITE} and {DAYS} and {BOTS}
    group by path_id
    having sum(requests) >= {MIN_PATH_REQUESTS}
    order by requests desc, path_id
    limit {BUSIEST_PATHS}
),
merged as (
    select path_id, bucket, sum(n)::bigint as n
    from path_performance_daily, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)
    where {SITE} and {DAYS} and {BOTS} and path_id in (select path_id from busiest)
    group by path_id, bucket
),
latency as (
    select path_id, latency_quantile(array_agg(bucket), array_agg(n), 0.5) as p50,
           latency_quantile(array_agg(bucket), array_agg(n), 0.95) as p95,
           latency_quantile(array_agg(bucket), array_agg(n), 0.99) as p99
    from merged
    group by path_id
)
select busiest.path as "Path", busiest.requests as "Requests",
       round(latency.p50::numeric) as "p50 ms", round(latency.p95::numeric) as "p95 ms",
       round(latency.p99::numeric) as "p99 ms",
       {_percent("busiest.cache_hits", "busiest.cache_lookups")} as "Hit ratio %"
from busiest join latency using (path_id)
order by latency.p95 desc, busiest.path
limit 10
"""


def _protocols(column: str, label: str, blank: str, limit: int = 10) -> str:
    """Requests per value of a protocols_daily column, the `limit` largest."""
    return f"""
    select case when {column} = '' then '{blank}' else {column} end as "{label}",
           sum(requests)::bigint as "Requests"
    from protocols_daily
    where {SITE} and {DAYS} and {BOTS}
    group by 1
    order by 2 desc, 1
    limit {limit}
    """


PROTOCOLS = _protocols("protocol", "Protocol", "(not logged)")
HTTP_VERSIONS = _protocols("http_version", "HTTP version", "(not logged)")
TLS_VERSIONS = _protocols("tls_protocol", "TLS version", "none (plain HTTP)")
CONTENT_TYPES = _protocols("content_type", "Content type", "(none)")
