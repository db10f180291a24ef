-- Who had a page view that day, by the visit's location and user agent (country, region,
-- city, device, browser and OS, with versions), as bitmaps of visitor numbers in chunks of
-- 1024. These are the visitor's own traits (its id hashes its address and user agent), so
-- the device and country sets also serve as filters of the other visitor sets.
insert into rollup_audience_visitors_daily

with

present as (
    select distinct site_id, device_type, country_code, location_id, user_agent_id, visitor_number
    from day_pageviews
),

traits as (
    select distinct
        present.site_id,
        tags.kind,
        tags.value,
        present.visitor_number
    from present
    left join locations on locations.id = present.location_id
    left join user_agents as agents on agents.id = present.user_agent_id
    cross join lateral (
        values
            ('country', present.country_code),
            ('region', coalesce(nullif(present.country_code, '') || '/' || locations.region, '')),
            ('city', present.location_id::text),
            ('device', present.device_type),
            ('browser', coalesce(agents.browser, '')),
            ('browser_version', trim(coalesce(agents.browser, '') || ' '
                || coalesce(agents.browser_version, ''))),
            ('os', coalesce(agents.os, '')),
            ('os_version', trim(coalesce(agents.os, '') || ' ' || coalesce(agents.os_version, '')))
    ) as tags (kind, value)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        kind,
        value,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from traits
    group by site_id, kind, value, visitor_number / 1024
)

select * from final
