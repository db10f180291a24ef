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
