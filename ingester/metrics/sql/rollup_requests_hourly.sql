-- Every request of the day, bots and assets included, by hour, device, country and bot flag,
-- and once more for all devices and countries ('*', '*').
insert into rollup_requests_hourly

with

day_requests as (
    select *
    from requests
    where ts >= %(day_start)s and ts < %(day_end)s
),

responses as (
    select id as response_id, result_type from responses
),

specific as (
    select
        day_requests.site_id,
        date_trunc('hour', day_requests.ts) as hour,
        coalesce(agents.device_type, 'unknown') as device_type,
        coalesce(places.country_code, '') as country_code,
        day_requests.is_bot,
        count(*) as requests,
        coalesce(sum(day_requests.bytes_sent), 0) as bytes,
        count(*) filter (where responses.result_type in ('Hit', 'RefreshHit')) as cache_hits,
        count(*) filter (where responses.result_type in ('Hit', 'RefreshHit', 'Miss'))
            as cache_lookups,
        coalesce(sum(day_requests.bytes_sent) filter (
            where responses.result_type in ('Hit', 'RefreshHit')
        ), 0) as cache_hit_bytes,
        coalesce(sum(day_requests.bytes_sent) filter (
            where responses.result_type in ('Hit', 'RefreshHit', 'Miss')
        ), 0) as cache_lookup_bytes
    from day_requests
    join responses using (response_id)
    left join user_agents as agents on agents.id = day_requests.user_agent_id
    left join locations as places on places.id = day_requests.location_id
    group by 1, 2, 3, 4, 5
),

final as (
    select
        site_id,
        hour,
        coalesce(device_type, '*') as device_type,
        coalesce(country_code, '*') as country_code,
        is_bot,
        sum(requests) as requests,
        sum(bytes) as bytes,
        sum(cache_hits) as cache_hits,
        sum(cache_lookups) as cache_lookups,
        sum(cache_hit_bytes) as cache_hit_bytes,
        sum(cache_lookup_bytes) as cache_lookup_bytes
    from specific
    group by grouping sets ((site_id, hour, device_type, country_code, is_bot), (site_id, hour, is_bot))
)

select * from final
