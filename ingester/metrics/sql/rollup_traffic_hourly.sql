-- Page views by the hour they happened; visits, bounces and durations by the hour they began:
-- per device, country and channel of the visit, and once more for all of them ('*', '*', 0).
insert into rollup_traffic_hourly

with

pageviews as (
    select site_id, hour, device_type, country_code, channel, count(*) as pageviews
    from day_pageviews
    group by 1, 2, 3, 4, 5
),

visits_begun as (
    select
        site_id,
        date_trunc('hour', started_at) as hour,
        device_type,
        country_code,
        channel,
        count(*) as visits,
        count(*) filter (where pageviews = 1) as bounces,
        sum(extract(epoch from ended_at - started_at))::double precision as duration_s
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
    group by 1, 2, 3, 4, 5
),

specific as (
    select
        site_id,
        hour,
        device_type,
        country_code,
        channel,
        coalesce(pageviews.pageviews, 0) as pageviews,
        coalesce(visits_begun.visits, 0) as visits,
        coalesce(visits_begun.bounces, 0) as bounces,
        coalesce(visits_begun.duration_s, 0) as duration_s
    from pageviews
    full join visits_begun using (site_id, hour, device_type, country_code, channel)
),

final as (
    select
        site_id,
        hour,
        coalesce(device_type, '*') as device_type,
        coalesce(country_code, '*') as country_code,
        coalesce(channel, '*') as channel,
        sum(pageviews) as pageviews,
        sum(visits) as visits,
        sum(bounces) as bounces,
        sum(duration_s) as duration_s
    from specific
    group by grouping sets ((site_id, hour, device_type, country_code, channel), (site_id, hour))
)

select * from final
