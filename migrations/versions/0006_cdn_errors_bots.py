"""CDN performance, errors, bots and pipeline health.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Rollups the refresh recomputes a day at a time from the day's requests (bots and
assets included): by status and result types; by content type, method,
protocol and TLS; by hour and day, by edge location and by path, with latency
histograms (the hour's and the day's percentiles kept too); error
responses by path, status and referrer; bot requests by bot name (with the
category of the kept list in ingester/enrich/bots.py) and by path. They carry
the bot flag, not the viewer's device or country: those are in requests_hourly.

Latency histograms: a duration of v ms is in bucket latency_bucket(v) (0 for
0 ms, else ceil(log_1.02 v) + 1); a bucket stands for latency_ms(bucket), within
1 % of every duration in it (ingester/metrics/latency.py). A rollup row keeps
the buckets it holds and their counts as two arrays; rows merge by adding
counts per bucket, and latency_quantile(buckets, counts, q) reads a percentile
from any pairs (the same bucket may repeat).

The views' SQL is frozen from `sql_views/<view>.sql` (see 0004).
"""

from alembic import op

from ingester.roles import READER, grant_read

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FUNCTIONS = """
create function latency_bucket(ms integer) returns integer
language sql immutable parallel safe
as $$ select case when ms <= 0 then 0 else ceil(ln(ms) / ln(1.02))::integer + 1 end $$;

create function latency_ms(bucket integer) returns double precision
language sql immutable parallel safe
as $$
    select case when bucket = 0 then 0 else 2 * 1.02::double precision ^ (bucket - 1) / 2.02 end
$$;

-- The q-quantile (nearest rank) of the durations counted by pairs of bucket and count; the
-- same bucket may come several times (array_agg them from unnest over any rows). Counts are
-- numeric, so sums of bigint counts pass as they are.
create function latency_quantile(buckets integer[], counts numeric[], q double precision)
returns double precision
language sql immutable parallel safe
as $$
    select latency_ms(bucket)
    from (
        select bucket, sum(n) over (order by bucket) as running, sum(n) over () as total
        from unnest(buckets, counts) as h(bucket, n)
    ) as cumulative
    where running >= greatest(ceil(q * total), 1)
    order by bucket
    limit 1
$$;
"""

ROLLUPS = """
create table rollup_results_hourly (
    site_id              integer not null,
    hour                 timestamptz not null,
    status               smallint not null,  -- 0 when the viewer hung up (000)
    result_type          text not null,      -- '': not logged
    response_result_type text not null,
    detailed_result_type text not null,
    is_bot               boolean not null,
    requests             bigint not null,
    bytes                bigint not null,
    primary key (site_id, hour, status, result_type, response_result_type,
                 detailed_result_type, is_bot)
);

create table rollup_results_daily (
    site_id              integer not null,
    day                  date not null,
    status               smallint not null,
    result_type          text not null,
    response_result_type text not null,
    detailed_result_type text not null,
    is_bot               boolean not null,
    requests             bigint not null,
    bytes                bigint not null,
    primary key (site_id, day, status, result_type, response_result_type,
                 detailed_result_type, is_bot)
);

create table rollup_protocols_daily (
    site_id      integer not null,
    day          date not null,
    content_type text not null,  -- '': not logged
    method       text not null,
    protocol     text not null,
    http_version text not null,
    tls_protocol text not null,
    tls_cipher   text not null,
    is_bot       boolean not null,
    requests     bigint not null,
    bytes        bigint not null,
    primary key (site_id, day, content_type, method, protocol, http_version, tls_protocol,
                 tls_cipher, is_bot)
);

create table rollup_edges_hourly (
    site_id            integer not null,
    hour               timestamptz not null,
    edge_location      text not null,
    is_bot             boolean not null,
    requests           bigint not null,
    bytes              bigint not null,
    cache_hits         bigint not null,
    cache_lookups      bigint not null,
    cache_hit_bytes    bigint not null,
    cache_lookup_bytes bigint not null,
    status_4xx         bigint not null,
    status_5xx         bigint not null,
    status_000         bigint not null,
    time_taken_buckets integer[] not null,
    time_taken_counts  bigint[] not null,
    ttfb_buckets       integer[] not null,
    ttfb_counts        bigint[] not null,
    primary key (site_id, hour, edge_location, is_bot)
);

create table rollup_edges_daily (
    site_id            integer not null,
    day                date not null,
    edge_location      text not null,
    is_bot             boolean not null,
    requests           bigint not null,
    bytes              bigint not null,
    cache_hits         bigint not null,
    cache_lookups      bigint not null,
    cache_hit_bytes    bigint not null,
    cache_lookup_bytes bigint not null,
    status_4xx         bigint not null,
    status_5xx         bigint not null,
    status_000         bigint not null,
    time_taken_buckets integer[] not null,
    time_taken_counts  bigint[] not null,
    ttfb_buckets       integer[] not null,
    ttfb_counts        bigint[] not null,
    primary key (site_id, day, edge_location, is_bot)
);

create table rollup_latency_hourly (
    site_id            integer not null,
    hour               timestamptz not null,
    requests           bigint not null,
    time_taken_p50_ms  double precision,
    time_taken_p95_ms  double precision,
    time_taken_p99_ms  double precision,
    ttfb_p50_ms        double precision,
    ttfb_p95_ms        double precision,
    ttfb_p99_ms        double precision,
    time_taken_buckets integer[] not null,
    time_taken_counts  bigint[] not null,
    ttfb_buckets       integer[] not null,
    ttfb_counts        bigint[] not null,
    primary key (site_id, hour)
);

create table rollup_latency_daily (
    site_id            integer not null,
    day                date not null,
    requests           bigint not null,
    time_taken_p50_ms  double precision,
    time_taken_p95_ms  double precision,
    time_taken_p99_ms  double precision,
    ttfb_p50_ms        double precision,
    ttfb_p95_ms        double precision,
    ttfb_p99_ms        double precision,
    time_taken_buckets integer[] not null,
    time_taken_counts  bigint[] not null,
    ttfb_buckets       integer[] not null,
    ttfb_counts        bigint[] not null,
    primary key (site_id, day)
);

create table rollup_paths_daily (
    site_id            integer not null,
    day                date not null,
    path_id            integer not null,
    is_bot             boolean not null,
    requests           bigint not null,
    bytes              bigint not null,
    cache_hits         bigint not null,
    cache_lookups      bigint not null,
    cache_hit_bytes    bigint not null,
    cache_lookup_bytes bigint not null,
    time_taken_buckets integer[] not null,
    time_taken_counts  bigint[] not null,
    ttfb_buckets       integer[] not null,
    ttfb_counts        bigint[] not null,
    primary key (site_id, day, path_id, is_bot)
);

-- status: 4xx, 5xx, and 0 when the viewer hung up
create table rollup_errors_daily (
    site_id     integer not null,
    day         date not null,
    path_id     integer not null,
    status      smallint not null,
    referrer_id integer not null,  -- 0: none
    is_bot      boolean not null,
    requests    bigint not null,
    bytes       bigint not null,
    primary key (site_id, day, path_id, status, referrer_id, is_bot)
);

create table rollup_bots_daily (
    site_id  integer not null,
    day      date not null,
    bot_name text not null,        -- '': unnamed
    category text not null,
    requests bigint not null,
    bytes    bigint not null,
    clients  bigint[] not null,    -- distinct visitor ids, sorted
    primary key (site_id, day, bot_name)
);

create table rollup_bot_paths_daily (
    site_id  integer not null,
    day      date not null,
    bot_name text not null,
    path_id  integer not null,
    requests bigint not null,
    bytes    bigint not null,
    primary key (site_id, day, bot_name, path_id)
);
"""
ROLLUP_TABLES = (
    "rollup_results_hourly", "rollup_results_daily", "rollup_protocols_daily",
    "rollup_edges_hourly", "rollup_edges_daily", "rollup_latency_hourly", "rollup_latency_daily",
    "rollup_paths_daily", "rollup_errors_daily",
    "rollup_bots_daily", "rollup_bot_paths_daily",
)  # fmt: skip
# Frozen copies of sql_views/<view>.sql.
VIEWS = {
    "results_hourly": """\
-- one row per site per hour per status, result types and bot flag
-- Every request, bots and assets included, by status and by x-edge-result-type (result_type),
-- x-edge-response-result-type and x-edge-detailed-result-type ('' when not logged).
-- status_class is 2xx, 3xx, 4xx, 5xx or 000 (status 0: the viewer hung up before the
-- response); is_incomplete is a status 200 whose result type is Error (the viewer left
-- mid-download); is_range a 206.
create view results_hourly as

with

result_counts as (
    select * from rollup_results_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        result_counts.hour,
        result_counts.status,
        case
            when result_counts.status = 0 then '000'
            else (result_counts.status / 100)::text || 'xx'
        end as status_class,
        result_counts.result_type,
        result_counts.response_result_type,
        result_counts.detailed_result_type,
        result_counts.status = 200 and result_counts.result_type = 'Error' as is_incomplete,
        result_counts.status = 206 as is_range,
        result_counts.is_bot,
        result_counts.requests,
        result_counts.bytes
    from result_counts
    join site_hosts using (site_id)
)

select * from final;
""",
    "results_daily": """\
-- one row per site per UTC day per status, result types and bot flag
-- Every request, bots and assets included, by status and by x-edge-result-type (result_type),
-- x-edge-response-result-type and x-edge-detailed-result-type ('' when not logged).
-- status_class is 2xx, 3xx, 4xx, 5xx or 000 (status 0: the viewer hung up before the
-- response); is_incomplete is a status 200 whose result type is Error (the viewer left
-- mid-download); is_range a 206.
create view results_daily as

with

result_counts as (
    select * from rollup_results_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        result_counts.day,
        result_counts.status,
        case
            when result_counts.status = 0 then '000'
            else (result_counts.status / 100)::text || 'xx'
        end as status_class,
        result_counts.result_type,
        result_counts.response_result_type,
        result_counts.detailed_result_type,
        result_counts.status = 200 and result_counts.result_type = 'Error' as is_incomplete,
        result_counts.status = 206 as is_range,
        result_counts.is_bot,
        result_counts.requests,
        result_counts.bytes
    from result_counts
    join site_hosts using (site_id)
)

select * from final;
""",
    "protocols_daily": """\
-- one row per site per UTC day per content type, method, protocol, TLS and bot flag
-- Every request, bots and assets included, by the response's content type, the request's
-- method, protocol (http, https, ws, wss), HTTP version, TLS version and cipher ('' when not
-- logged, as TLS on plain HTTP).
create view protocols_daily as

with

protocol_counts as (
    select * from rollup_protocols_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        protocol_counts.day,
        protocol_counts.content_type,
        protocol_counts.method,
        protocol_counts.protocol,
        protocol_counts.http_version,
        protocol_counts.tls_protocol,
        protocol_counts.tls_cipher,
        protocol_counts.is_bot,
        protocol_counts.requests,
        protocol_counts.bytes
    from protocol_counts
    join site_hosts using (site_id)
)

select * from final;
""",
    "edges_hourly": """\
-- one row per site per hour per edge location and bot flag
-- Every request, bots and assets included, by the CloudFront edge location (POP) that served
-- it, with its airport, city, country and coordinates: requests, bytes, cache results (as in
-- requests_hourly), errors (status_4xx, status_5xx, status_000) and histograms of time-taken
-- and time-to-first-byte in milliseconds. Add histograms of any rows bucket by bucket, then
-- read percentiles with latency_quantile: within 1 % of the exact ones (sql_views/README.md).
create view edges_hourly as

with

edge_counts as (
    select * from rollup_edges_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

edges as (
    select
        code as edge_location,
        coalesce(airport, '') as airport,
        coalesce(city, '') as city,
        coalesce(country_code, '') as country_code,
        latitude,
        longitude
    from edge_locations
),

final as (
    select
        site_hosts.site,
        edge_counts.hour,
        edge_counts.edge_location,
        coalesce(edges.airport, '') as airport,
        coalesce(edges.city, '') as city,
        coalesce(edges.country_code, '') as country_code,
        edges.latitude,
        edges.longitude,
        edge_counts.is_bot,
        edge_counts.requests,
        edge_counts.bytes,
        edge_counts.cache_hits,
        edge_counts.cache_lookups,
        edge_counts.cache_hit_bytes,
        edge_counts.cache_lookup_bytes,
        edge_counts.status_4xx,
        edge_counts.status_5xx,
        edge_counts.status_000,
        edge_counts.time_taken_buckets,
        edge_counts.time_taken_counts,
        edge_counts.ttfb_buckets,
        edge_counts.ttfb_counts
    from edge_counts
    join site_hosts using (site_id)
    left join edges using (edge_location)
)

select * from final;
""",
    "edges_daily": """\
-- one row per site per UTC day per edge location and bot flag
-- Every request, bots and assets included, by the CloudFront edge location (POP) that served
-- it, with its airport, city, country and coordinates: requests, bytes, cache results (as in
-- requests_hourly), errors (status_4xx, status_5xx, status_000) and histograms of time-taken
-- and time-to-first-byte in milliseconds. Add histograms of any rows bucket by bucket, then
-- read percentiles with latency_quantile: within 1 % of the exact ones (sql_views/README.md).
create view edges_daily as

with

edge_counts as (
    select * from rollup_edges_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

edges as (
    select
        code as edge_location,
        coalesce(airport, '') as airport,
        coalesce(city, '') as city,
        coalesce(country_code, '') as country_code,
        latitude,
        longitude
    from edge_locations
),

final as (
    select
        site_hosts.site,
        edge_counts.day,
        edge_counts.edge_location,
        coalesce(edges.airport, '') as airport,
        coalesce(edges.city, '') as city,
        coalesce(edges.country_code, '') as country_code,
        edges.latitude,
        edges.longitude,
        edge_counts.is_bot,
        edge_counts.requests,
        edge_counts.bytes,
        edge_counts.cache_hits,
        edge_counts.cache_lookups,
        edge_counts.cache_hit_bytes,
        edge_counts.cache_lookup_bytes,
        edge_counts.status_4xx,
        edge_counts.status_5xx,
        edge_counts.status_000,
        edge_counts.time_taken_buckets,
        edge_counts.time_taken_counts,
        edge_counts.ttfb_buckets,
        edge_counts.ttfb_counts
    from edge_counts
    join site_hosts using (site_id)
    left join edges using (edge_location)
)

select * from final;
""",
    "latency_hourly": """\
-- one row per site per hour
-- Latency of every request, bots and assets included: time-taken and time-to-first-byte in
-- milliseconds, the hour's p50, p95 and p99 (read from its histograms, within 1 % of the exact
-- ones), and the histograms themselves: to read percentiles over several rows, add them
-- bucket by bucket and use latency_quantile (sql_views/README.md). Per edge location, path or
-- bot flag: edges_hourly, edges_daily, path_performance_daily.
create view latency_hourly as

with

latency as (
    select * from rollup_latency_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        latency.hour,
        latency.requests,
        latency.time_taken_p50_ms,
        latency.time_taken_p95_ms,
        latency.time_taken_p99_ms,
        latency.ttfb_p50_ms,
        latency.ttfb_p95_ms,
        latency.ttfb_p99_ms,
        latency.time_taken_buckets,
        latency.time_taken_counts,
        latency.ttfb_buckets,
        latency.ttfb_counts
    from latency
    join site_hosts using (site_id)
)

select * from final;
""",
    "latency_daily": """\
-- one row per site per UTC day
-- Latency of every request, bots and assets included: time-taken and time-to-first-byte in
-- milliseconds, the UTC day's p50, p95 and p99 (read from its histograms, within 1 % of the exact
-- ones), and the histograms themselves: to read percentiles over several rows, add them
-- bucket by bucket and use latency_quantile (sql_views/README.md). Per edge location, path or
-- bot flag: edges_hourly, edges_daily, path_performance_daily.
create view latency_daily as

with

latency as (
    select * from rollup_latency_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        latency.day,
        latency.requests,
        latency.time_taken_p50_ms,
        latency.time_taken_p95_ms,
        latency.time_taken_p99_ms,
        latency.ttfb_p50_ms,
        latency.ttfb_p95_ms,
        latency.ttfb_p99_ms,
        latency.time_taken_buckets,
        latency.time_taken_counts,
        latency.ttfb_buckets,
        latency.ttfb_counts
    from latency
    join site_hosts using (site_id)
)

select * from final;
""",
    "path_performance_daily": """\
-- one row per site per UTC day per path and bot flag
-- Every request, bots and assets included, by path: requests, bytes, cache results (as in
-- requests_hourly) and histograms of time-taken and time-to-first-byte in milliseconds, as in
-- edges_daily (slowest paths: p95 of the merged histograms).
create view path_performance_daily as

with

path_counts as (
    select * from rollup_paths_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        path_counts.day,
        path_counts.path_id,
        path_texts.path,
        path_counts.is_bot,
        path_counts.requests,
        path_counts.bytes,
        path_counts.cache_hits,
        path_counts.cache_lookups,
        path_counts.cache_hit_bytes,
        path_counts.cache_lookup_bytes,
        path_counts.time_taken_buckets,
        path_counts.time_taken_counts,
        path_counts.ttfb_buckets,
        path_counts.ttfb_counts
    from path_counts
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
""",
    "errors_daily": """\
-- one row per site per UTC day per error path per status, referrer and bot flag
-- Requests answered 4xx or 5xx, or 000 (status 0: the viewer hung up before the response),
-- assets included, with the referrer that linked to the path ('' when none was sent).
create view errors_daily as

with

error_counts as (
    select * from rollup_errors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

referrer_urls as (
    select id as referrer_id, domain as referrer_domain, domain || path as referrer
    from referrers
),

final as (
    select
        site_hosts.site,
        error_counts.day,
        error_counts.path_id,
        path_texts.path,
        error_counts.status,
        case
            when error_counts.status = 0 then '000'
            else (error_counts.status / 100)::text || 'xx'
        end as status_class,
        error_counts.referrer_id,
        coalesce(referrer_urls.referrer_domain, '') as referrer_domain,
        coalesce(referrer_urls.referrer, '') as referrer,
        error_counts.is_bot,
        error_counts.requests,
        error_counts.bytes
    from error_counts
    join site_hosts using (site_id)
    join path_texts using (path_id)
    left join referrer_urls using (referrer_id)
)

select * from final;
""",
    "bots_daily": """\
-- one row per site per UTC day per bot name
-- Requests of user agents taken for bots, by the bot's name ('' when its user agent names
-- none) and category (search engine, AI crawler, SEO tool, monitor, scanner, HTTP library or
-- other, from the kept list in ingester/enrich/bots.py). clients: the distinct clients (keyed
-- hashes of address and user agent) of the day, sorted; distinct clients over any days: count
-- the distinct values of unnest(clients).
create view bots_daily as

with

bot_counts as (
    select * from rollup_bots_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        bot_counts.day,
        bot_counts.bot_name,
        bot_counts.category,
        bot_counts.requests,
        bot_counts.bytes,
        cardinality(bot_counts.clients) as clients_of_day,
        bot_counts.clients
    from bot_counts
    join site_hosts using (site_id)
)

select * from final;
""",
    "bot_paths_daily": """\
-- one row per site per UTC day per bot name and path
-- Requests of user agents taken for bots, by the bot's name ('' when its user agent names
-- none) and the path they fetched.
create view bot_paths_daily as

with

bot_paths as (
    select * from rollup_bot_paths_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        bot_paths.day,
        bot_paths.bot_name,
        bot_paths.path_id,
        path_texts.path,
        bot_paths.requests,
        bot_paths.bytes
    from bot_paths
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
""",
    "ingest_hourly": """\
-- one row per hour an object finished loading (or began, while loading) per source and status
-- Objects taken up from each source and their lines: loaded, duplicate (already stored) and
-- quarantined. Delivery delay: when the object was taken up, against the start of the hour its
-- CloudFront name gives (<distribution>.YYYY-MM-DD-HH.<id>.gz), median and max in seconds over
-- the objects whose name has an hour. Reads the ingest ledger only: cheap however many
-- requests are stored.
create view ingest_hourly as

with

ledger as (
    select * from ingest_ledger
),

objects as (
    select
        source,
        status,
        date_trunc('hour', coalesce(finished_at, started_at)) as hour,
        lines_read,
        lines_loaded,
        lines_duplicate,
        lines_rejected,
        extract(epoch from started_at - to_timestamp(
            substring(key from '[.]([0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2})[.][^/]*$'),
            'yyyy-mm-dd-hh24'
        )::timestamp at time zone 'utc')::double precision as delivery_delay_s
    from ledger
),

final as (
    select
        hour,
        source,
        status,
        count(*) as objects,
        sum(lines_read) as lines_read,
        sum(lines_loaded) as lines_loaded,
        sum(lines_duplicate) as lines_duplicate,
        sum(lines_rejected) as lines_quarantined,
        percentile_cont(0.5) within group (order by delivery_delay_s) as delivery_delay_p50_s,
        max(delivery_delay_s) as delivery_delay_max_s
    from objects
    group by 1, 2, 3
)

select * from final;
""",
    "quarantine_hourly": """\
-- one row per hour lines were quarantined per source and reason
-- Lines that could not be read, kept aside with why (their raw text stays in the quarantine
-- table, which the dashboards' role cannot read).
create view quarantine_hourly as

with

quarantined as (
    select object_id, reason, created_at from quarantine
),

ledger as (
    select id as object_id, source from ingest_ledger
),

final as (
    select
        date_trunc('hour', quarantined.created_at) as hour,
        ledger.source,
        quarantined.reason,
        count(*) as lines
    from quarantined
    join ledger using (object_id)
    group by 1, 2, 3
)

select * from final;
""",
    "ingest_failures": """\
-- one row per object whose load failed
-- The object, when it was last tried and its error; it is retried by later runs.
create view ingest_failures as

with

ledger as (
    select * from ingest_ledger
),

final as (
    select
        source,
        key,
        started_at,
        finished_at,
        error
    from ledger
    where status = 'failed'
)

select * from final;
""",
    "ingest_lag": """\
-- one row per database: how far behind the metrics are
-- newest_request_hour: the newest hour with requests, as last refreshed (from the '*' rows of
-- rollup_requests_hourly, through their index); ingest_lag_s: seconds from the end of that hour
-- to now (0 within it). last_loaded_at: when the last object finished loading;
-- last_refreshed_at: when the metrics were last refreshed. Never reads the requests.
create view ingest_lag as

with

newest_hour as (
    select max(hour) as newest_request_hour
    from rollup_requests_hourly
    where device_type = '*'
),

last_load as (
    select max(finished_at) as last_loaded_at from ingest_ledger where status = 'loaded'
),

last_refresh as (
    select max(finished_at) as last_refreshed_at from refresh_log
),

final as (
    select
        newest_hour.newest_request_hour,
        greatest(
            extract(epoch from now() - newest_hour.newest_request_hour - interval '1 hour'), 0
        )::double precision as ingest_lag_s,
        last_load.last_loaded_at,
        last_refresh.last_refreshed_at
    from newest_hour, last_load, last_refresh
)

select * from final;
""",
    "refresh_status": """\
-- one row per view: its last refresh
-- When the refresh that last recomputed the view's rollups finished, how long it took, whether
-- it was a full rebuild, and the days it recomputed.
create view refresh_status as

with

refreshes as (
    select * from refresh_log
),

view_names as (
    select distinct unnest(views) as view_name
    from (select views from refreshes order by id desc limit 1000) as recent
),

final as (
    select
        view_names.view_name,
        last_refresh.finished_at as refreshed_at,
        last_refresh.duration_ms,
        last_refresh.full_rebuild,
        last_refresh.days
    from view_names
    cross join lateral (
        select finished_at, duration_ms, full_rebuild, days
        from refreshes
        where refreshes.views @> array[view_names.view_name]
        order by refreshes.id desc
        limit 1
    ) as last_refresh
)

select * from final;
""",
}


def upgrade() -> None:
    op.execute(FUNCTIONS)
    for function in ("latency_bucket(integer)", "latency_ms(integer)",
                     "latency_quantile(integer[], numeric[], double precision)"):  # fmt: skip
        op.execute(f"grant execute on function {function} to {READER}")
    op.execute(ROLLUPS)
    # Days loaded before this revision: the first refresh builds their new rollups.
    op.execute(
        "insert into dirty_days (day) "
        "select distinct d from ingest_ledger, unnest(days) d where status = 'loaded' "
        "on conflict do nothing"
    )
    for view, sql in VIEWS.items():
        op.execute(sql)
        op.execute(grant_read(view))


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"drop view {view}")
    op.execute("drop table " + ", ".join(ROLLUP_TABLES))
    op.execute("drop function latency_quantile, latency_ms, latency_bucket")
