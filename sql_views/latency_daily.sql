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
