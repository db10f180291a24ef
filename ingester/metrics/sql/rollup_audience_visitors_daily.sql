-- Who had a page view that day, by the visit's location and user agent (country, region,
-- city, device, browser and OS, with versions), as bitmaps of visitor numbers in chunks of
-- 1024: per device, country and channel of the visit, and once more for all of them.
insert into rollup_audience_visitors_daily

with

present as (
    select distinct
        site_id, device_type, country_code, channel_id, location_id, user_agent_id, visitor_number
    from day_pageviews
),

traits as (
    select distinct
        present.site_id,
        tags.kind,
        tags.value,
        present.device_type,
        present.country_code,
        present.channel_id,
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
        coalesce(device_type, '*') as device_type,
        coalesce(country_code, '*') as country_code,
        coalesce(channel_id, 0) as channel_id,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from traits
    group by grouping sets (
        (site_id, kind, value, device_type, country_code, channel_id, visitor_number / 1024),
        (site_id, kind, value, visitor_number / 1024)
    )
)

select * from final
