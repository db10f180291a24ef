-- one row per site per UTC day per trait (kind and value) per chunk of visitor numbers
-- Who had a page view that day, by the visit's location and user agent: kind is country (ISO
-- code), region ('DE/Bavaria'), city (a location, with its name and coordinates), device,
-- browser, browser_version, os or os_version; '' where unknown. Bitmaps as in visitors_daily.
-- A visitor's traits never change (its id hashes its address and user agent), so intersecting
-- (&) with the device or country sets filters any other visitor set by device or country, and
-- intersecting with visitors_daily's channel sets filters these by channel.
create view audience_visitors_daily as

with

audience_visitors as (
    select * from rollup_audience_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
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
        audience_visitors.chunk,
        audience_visitors.visitors
    from audience_visitors
    join site_hosts using (site_id)
    left join cities on audience_visitors.kind = 'city' and cities.value = audience_visitors.value
)

select * from final;
