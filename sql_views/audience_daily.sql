-- one row per site per UTC day per channel of the visit, location, device type, browser and OS with versions
-- Page views and the numbers of the visitors who made them (count distinct over any days),
-- by the visit's location (from the MaxMind database) and user agent. '' where unknown.
create materialized view audience_daily as

with

audience as (
    select * from rollup_audience_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

places as (
    select
        id as location_id,
        coalesce(country_code, '') as country_code,
        coalesce(country, '') as country,
        coalesce(region, '') as region,
        coalesce(city, '') as city,
        latitude,
        longitude
    from locations
),

final as (
    select
        site_hosts.site,
        audience.day,
        channel_names.channel,
        audience.location_id,
        coalesce(places.country_code, '') as country_code,
        coalesce(places.country, '') as country,
        coalesce(places.region, '') as region,
        coalesce(places.city, '') as city,
        places.latitude,
        places.longitude,
        audience.device_type,
        audience.browser,
        audience.browser_version,
        audience.os,
        audience.os_version,
        audience.pageviews,
        audience.visitors
    from audience
    join site_hosts using (site_id)
    join channel_names using (channel_id)
    left join places using (location_id)
)

select * from final;

create unique index audience_daily_key
    on audience_daily (
        site, day, channel, location_id, device_type, browser, browser_version, os, os_version
    );
