-- The day's requests: the sums of its hours in rollup_requests_hourly.
insert into rollup_requests_daily
select
    site_id,
    %(day)s::date as day,
    device_type,
    country_code,
    is_bot,
    sum(requests) as requests,
    sum(bytes) as bytes,
    sum(cache_hits) as cache_hits,
    sum(cache_lookups) as cache_lookups,
    sum(cache_hit_bytes) as cache_hit_bytes,
    sum(cache_lookup_bytes) as cache_lookup_bytes
from rollup_requests_hourly
where hour >= %(day_start)s and hour < %(day_end)s
group by site_id, device_type, country_code, is_bot
