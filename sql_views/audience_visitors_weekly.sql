-- one row per site per week (Monday to Sunday, UTC) per trait per chunk of visitor numbers
-- audience_visitors_daily's sets unioned over each whole week (bit_or): who had a page view
-- that week, by trait. A month is about four weeks and the days around them: the union of
-- those sets is the month's, from far fewer rows.
create view audience_visitors_weekly as

with

audience_visitors as (
    select * from rollup_audience_visitors_weekly
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
        audience_visitors.week,
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
