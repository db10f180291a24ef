-- The day's page views and their visitors by the visit's location and user agent.
insert into rollup_audience_daily

with

agents as (
    select
        id as user_agent_id,
        coalesce(browser, '') as browser,
        coalesce(browser_version, '') as browser_version,
        coalesce(os, '') as os,
        coalesce(os_version, '') as os_version
    from user_agents
),

final as (
    select
        day_pageviews.site_id,
        %(day)s::date as day,
        day_pageviews.channel_id,
        day_pageviews.location_id,
        day_pageviews.device_type,
        coalesce(agents.browser, '') as browser,
        coalesce(agents.browser_version, '') as browser_version,
        coalesce(agents.os, '') as os,
        coalesce(agents.os_version, '') as os_version,
        count(*) as pageviews,
        array_agg(distinct day_pageviews.visitor_number order by day_pageviews.visitor_number)
            as visitors
    from day_pageviews
    left join agents using (user_agent_id)
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
)

select * from final
