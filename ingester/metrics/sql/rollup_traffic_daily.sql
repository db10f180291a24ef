-- The day's traffic: the sums of its hours in rollup_traffic_hourly.
insert into rollup_traffic_daily
select
    site_id,
    %(day)s::date as day,
    device_type,
    country_code,
    channel,
    sum(pageviews) as pageviews,
    sum(visits) as visits,
    sum(bounces) as bounces,
    sum(duration_s) as duration_s
from rollup_traffic_hourly
where hour >= %(day_start)s and hour < %(day_end)s
group by site_id, device_type, country_code, channel
