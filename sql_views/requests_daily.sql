-- one row per site per UTC day per device type, country and bot flag
-- Every request, bots and assets included, as in requests_hourly. Rows with device_type and
-- country_code '*' hold the sums over every device and country.
create view requests_daily as

with

request_counts as (
    select * from rollup_requests_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        request_counts.day,
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
