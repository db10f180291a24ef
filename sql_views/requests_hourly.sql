-- one row per site per hour per device type, country and bot flag
-- Every request, bots and assets included. A cache lookup is a request whose x-edge-result-type
-- is Hit, RefreshHit or Miss; a cache hit is one that is Hit or RefreshHit.
create materialized view requests_hourly as

with

requests as (
    select * from rollup_requests_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        requests.hour,
        requests.device_type,
        requests.country_code,
        requests.is_bot,
        requests.requests,
        requests.bytes,
        requests.cache_hits,
        requests.cache_lookups,
        requests.cache_hit_bytes,
        requests.cache_lookup_bytes
    from requests
    join site_hosts using (site_id)
)

select * from final;

create unique index requests_hourly_key
    on requests_hourly (site, hour, device_type, country_code, is_bot);
