-- Visits from the page views in session_pageviews: per site and visitor, a new visit starts
-- when more than 30 minutes passed since the previous page view. Ties in time are broken by
-- the request key, so the same page views always make the same visits.
insert into visits

with

ordered as (
    select
        *,
        coalesce(ts - lag(ts) over visitor > interval '30 minutes', true) as starts_visit,
        coalesce(lead(ts) over visitor - ts > interval '30 minutes', true) as ends_visit
    from session_pageviews
    window visitor as (partition by site_id, visitor_number order by ts, request_key)
),

numbered as (
    select
        *,
        count(*) filter (where starts_visit) over (
            partition by site_id, visitor_number order by ts, request_key
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
        min(user_agent_id) filter (where starts_visit) as user_agent_id
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
        coalesce(places.country_code, '') as country_code
    from grouped
    join channels on channels.id = grouped.channel_id
    left join user_agents as agents on agents.id = grouped.user_agent_id
    left join locations as places on places.id = grouped.location_id
)

select * from final
