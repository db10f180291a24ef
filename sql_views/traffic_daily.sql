-- one row per site per UTC day per device type, country and channel of the visit
-- The daily sums of traffic_hourly's rollup. Bots never count. Definitions: sql_views/README.md.
create materialized view traffic_daily as

with

traffic as (
    select * from rollup_traffic_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

by_day as (
    select
        site_id,
        (hour at time zone 'utc')::date as day,
        device_type,
        country_code,
        channel_id,
        sum(pageviews)::bigint as pageviews,
        sum(visits)::bigint as visits,
        sum(bounces)::bigint as bounces,
        sum(duration_s) as duration_s
    from traffic
    group by 1, 2, 3, 4, 5
),

final as (
    select
        site_hosts.site,
        by_day.day,
        by_day.device_type,
        by_day.country_code,
        channel_names.channel,
        by_day.pageviews,
        by_day.visits,
        by_day.bounces,
        by_day.duration_s
    from by_day
    join site_hosts using (site_id)
    join channel_names using (channel_id)
)

select * from final;

create unique index traffic_daily_key
    on traffic_daily (site, day, device_type, country_code, channel);
