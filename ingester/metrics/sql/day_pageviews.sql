-- The day's page views, each with the visit it belongs to: a page view takes its visit's
-- channel, device, country and location, so every view filters the same visits the same way.
insert into day_pageviews

with

pageviews as (
    select site_id, visitor_id, ts, path_id
    from requests
    where ts >= %(day_start)s and ts < %(day_end)s and is_pageview and not is_bot
),

-- materialized: joined on the visitor alone, the time test then runs on a few rows each
day_visits as materialized (
    select *
    from visits
    where tstzrange(started_at, ended_at, '[]') && tstzrange(%(day_start)s, %(day_end)s, '[)')
),

numbered as materialized (
    select pageviews.*, numbers.number as visitor_number
    from pageviews
    join visitor_numbers as numbers
        on numbers.site_id = pageviews.site_id and numbers.visitor_id = pageviews.visitor_id
),

final as (
    select
        numbered.site_id,
        numbered.visitor_number,
        date_trunc('hour', numbered.ts) as hour,
        numbered.path_id,
        day_visits.channel,
        day_visits.device_type,
        day_visits.country_code,
        day_visits.location_id,
        day_visits.user_agent_id
    from numbered
    join day_visits
        on day_visits.site_id = numbered.site_id
        and day_visits.visitor_number = numbered.visitor_number
        and numbered.ts between day_visits.started_at and day_visits.ended_at
)

select * from final
