-- one row per site per UTC day per device type, country and channel of the visit per chunk of visitor numbers
-- Who had a page view that day, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of days: bit_or per site and chunk, then
-- sum the bit_count. Bots never count.
create materialized view visitors_daily as

with

visitor_sets as (
    select * from rollup_visitors_hourly
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
        chunk,
        bit_or(visitors) as visitors
    from visitor_sets
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        site_hosts.site,
        by_day.day,
        by_day.device_type,
        by_day.country_code,
        channel_names.channel,
        by_day.chunk,
        by_day.visitors
    from by_day
    join site_hosts using (site_id)
    join channel_names using (channel_id)
)

select * from final;

create unique index visitors_daily_key
    on visitors_daily (site, day, device_type, country_code, channel, chunk);
