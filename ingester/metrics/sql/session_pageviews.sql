-- The page views to sessionize, with the visitor's number: those of the window, and those
-- just outside it that belong to the visits it replaced, so a visit across the window's edge
-- is rebuilt whole.
insert into session_pageviews

with

pageviews as (
    select *
    from requests
    where ts >= %(span_lo)s and ts <= %(span_hi)s and is_pageview and not is_bot
),

numbered as (
    select pageviews.*, numbers.number as visitor_number
    from pageviews
    join visitor_numbers as numbers
        on numbers.site_id = pageviews.site_id and numbers.visitor_id = pageviews.visitor_id
),

final as (
    select
        numbered.site_id,
        numbered.visitor_number,
        numbered.ts,
        numbered.request_key,
        numbered.path_id,
        coalesce(numbered.referrer_id, 0) as referrer_id,
        coalesce(numbered.campaign_id, 0) as campaign_id,
        numbered.channel_id,
        coalesce(numbered.location_id, 0) as location_id,
        coalesce(numbered.user_agent_id, 0) as user_agent_id
    from numbered
    where (numbered.ts >= %(lo)s and numbered.ts < %(hi)s)
       or exists (
           select from replaced_visits as v
           where v.site_id = numbered.site_id
             and v.visitor_number = numbered.visitor_number
             and numbered.ts between v.started_at and v.ended_at
       )
)

select * from final
