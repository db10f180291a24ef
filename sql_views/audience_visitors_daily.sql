-- one row per site per UTC day per trait per device, country and channel per visitor chunk
-- Who had a page view that day, by the visit's location and user agent: kind is country (ISO
-- code), region ('DE/Bavaria'), city (a location, with its name and coordinates), device,
-- browser, browser_version, os or os_version; '' where unknown. Bitmaps as in visitors_daily;
-- '*' rows hold everyone.
create view audience_visitors_daily as

with

audience_visitors as (
    select * from rollup_audience_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

cities as (
    select
        id::text as value,
        coalesce(city, '') as city,
        coalesce(region, '') as region,
        coalesce(country_code, '') as city_country_code,
        latitude,
        longitude
    from locations
),

final as (
    select
        site_hosts.site,
        audience_visitors.day,
        audience_visitors.kind,
        audience_visitors.value,
        coalesce(cities.city, '') as city,
        coalesce(cities.region, '') as region,
        coalesce(cities.city_country_code, '') as city_country_code,
        cities.latitude,
        cities.longitude,
        audience_visitors.device_type,
        audience_visitors.country_code,
        coalesce(channel_names.channel, '*') as channel,
        audience_visitors.chunk,
        audience_visitors.visitors
    from audience_visitors
    join site_hosts using (site_id)
    left join channel_names using (channel_id)
    left join cities on audience_visitors.kind = 'city' and cities.value = audience_visitors.value
)

select * from final;
