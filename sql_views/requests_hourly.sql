-- one row per site per hour per device type, country and bot flag
-- Every request, bots and assets included. A cache lookup is a request whose x-edge-result-type
-- is Hit, RefreshHit or Miss; a cache hit is one that is Hit or RefreshHit. Rows with
-- device_type and country_code '*' hold the sums over every device and country.
create view requests_hourly as

with

request_counts as (
    select * from rollup_requests_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        request_counts.hour,
        request_counts.device_type,
        request_counts.country_code,
        request_counts.is_bot,
        request_counts.requests,
        request_counts.bytes,
        request_counts.cache_hits,
        request_counts.cache_lookups,
        request_counts.cache_hit_bytes,
        request_counts.cache_lookup_bytes
    from request_counts
    join site_hosts using (site_id)
)

select * from final;
