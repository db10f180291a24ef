-- one row per site per UTC day per device type, country and bot flag
-- The daily sums of requests_hourly's rollup: every request, bots and assets included.
create materialized view requests_daily as

with

request_counts as (
    select * from rollup_requests_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

by_day as (
    select
        site_id,
        (hour at time zone 'utc')::date as day,
        device_type,
        country_code,
        is_bot,
        sum(requests)::bigint as requests,
        sum(bytes)::bigint as bytes,
        sum(cache_hits)::bigint as cache_hits,
        sum(cache_lookups)::bigint as cache_lookups,
        sum(cache_hit_bytes)::bigint as cache_hit_bytes,
        sum(cache_lookup_bytes)::bigint as cache_lookup_bytes
    from request_counts
    group by 1, 2, 3, 4, 5
),

final as (
    select
        site_hosts.site,
        by_day.day,
        by_day.device_type,
        by_day.country_code,
        by_day.is_bot,
        by_day.requests,
        by_day.bytes,
        by_day.cache_hits,
        by_day.cache_lookups,
        by_day.cache_hit_bytes,
        by_day.cache_lookup_bytes
    from by_day
    join site_hosts using (site_id)
)

select * from final;

create unique index requests_daily_key
    on requests_daily (site, day, device_type, country_code, is_bot);
