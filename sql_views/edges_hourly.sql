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
