-- The page views of a window, with the visitor's number, as input to sessionizing.
insert into session_pageviews

with

pageviews as (
    select *
    from requests
    where ts >= %(lo)s and ts < %(hi)s and is_pageview and not is_bot
),

final as (
    select
        pageviews.site_id,
        numbers.number as visitor_number,
        pageviews.ts,
        pageviews.request_key,
        pageviews.path_id,
        coalesce(pageviews.referrer_id, 0) as referrer_id,
        coalesce(pageviews.campaign_id, 0) as campaign_id,
        pageviews.channel_id,
        coalesce(pageviews.location_id, 0) as location_id,
        coalesce(pageviews.user_agent_id, 0) as user_agent_id
    from pageviews
    join visitor_numbers as numbers
        on numbers.site_id = pageviews.site_id and numbers.visitor_id = pageviews.visitor_id
)

select * from final
