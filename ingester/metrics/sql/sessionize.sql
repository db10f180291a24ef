-- Visits from the page views in session_pageviews: per site and visitor, a new visit starts
-- when more than 30 minutes passed since the previous page view. Standard logs count whole
-- seconds, so page views in the same second are ordered by their referrer chain (a page whose
-- referrer is another of them comes after it), then by request key: the same page views always
-- make the same visits, in the same order.
insert into visits

with

linked as (
    select
        session_pageviews.*,
        paths.path as page_path,
        case when session_pageviews.channel_id = 7 then referrers.path end as internal_referrer
    from session_pageviews
    join paths on paths.id = session_pageviews.path_id
    left join referrers on referrers.id = session_pageviews.referrer_id
),

chained as (
    select
        *,
        -- 1 when another page view of the same second is this one's referrer
        coalesce(
            internal_referrer = any(array_agg(page_path) over same_second)
            and count(*) over same_second > 1
            and internal_referrer <> page_path,
            false
        )::integer as follows
    from linked
    window same_second as (partition by site_id, visitor_number, ts)
),

ordered as (
    select
        *,
        coalesce(ts - lag(ts) over visitor > interval '30 minutes', true) as starts_visit,
        coalesce(lead(ts) over visitor - ts > interval '30 minutes', true) as ends_visit
    from chained
    window visitor as (partition by site_id, visitor_number order by ts, follows, request_key)
),

numbered as (
    select
        *,
        count(*) filter (where starts_visit) over (
            partition by site_id, visitor_number order by ts, follows, request_key
        ) as visit
    from ordered
),

grouped as (
    select
        site_id,
        visitor_number,
        min(ts) as started_at,
        max(ts) as ended_at,
        count(*)::integer as pageviews,
        min(path_id) filter (where starts_visit) as entry_path_id,
        min(path_id) filter (where ends_visit) as exit_path_id,
        min(referrer_id) filter (where starts_visit) as referrer_id,
        min(campaign_id) filter (where starts_visit) as campaign_id,
        min(channel_id) filter (where starts_visit) as channel_id,
        min(location_id) filter (where starts_visit) as location_id,
        min(user_agent_id) filter (where starts_visit) as user_agent_id,
        array_agg(path_id order by ts, follows, request_key) as paths
    from numbered
    group by site_id, visitor_number, visit
),

final as (
    select
        grouped.site_id,
        grouped.visitor_number,
        grouped.started_at,
        grouped.ended_at,
        grouped.pageviews,
        grouped.entry_path_id,
        grouped.exit_path_id,
        grouped.referrer_id,
        grouped.campaign_id,
        grouped.location_id,
        grouped.user_agent_id,
        channels.name as channel,
        coalesce(agents.device_type, 'unknown') as device_type,
        coalesce(places.country_code, '') as country_code,
        grouped.paths
    from grouped
    join channels on channels.id = grouped.channel_id
    left join user_agents as agents on agents.id = grouped.user_agent_id
    left join locations as places on places.id = grouped.location_id
)

select * from final
