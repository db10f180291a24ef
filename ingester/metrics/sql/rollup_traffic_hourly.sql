-- Page views by the hour they happened; visits, bounces and durations by the hour they began.
insert into rollup_traffic_hourly

with

pageviews as (
    select site_id, hour, device_type, country_code, channel_id, count(*) as pageviews
    from day_pageviews
    group by 1, 2, 3, 4, 5
),

visits_begun as (
    select
        site_id,
        date_trunc('hour', started_at) as hour,
        device_type,
        country_code,
        channel_id,
        count(*) as visits,
        count(*) filter (where pageviews = 1) as bounces,
        sum(extract(epoch from ended_at - started_at))::double precision as duration_s
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
    group by 1, 2, 3, 4, 5
),

final as (
    select
        site_id,
        hour,
        device_type,
        country_code,
        channel_id,
        coalesce(pageviews.pageviews, 0) as pageviews,
        coalesce(visits_begun.visits, 0) as visits,
        coalesce(visits_begun.bounces, 0) as bounces,
        coalesce(visits_begun.duration_s, 0) as duration_s
    from pageviews
    full join visits_begun using (site_id, hour, device_type, country_code, channel_id)
)

select * from final
