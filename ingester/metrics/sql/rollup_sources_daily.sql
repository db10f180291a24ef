-- Visits that began that day, by their first page view's channel, referrer and campaign: per
-- device and country of the visit, and once more for all of them ('*', '*').
insert into rollup_sources_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
),

final as (
    select
        site_id,
        %(day)s::date as day,
        coalesce(device_type, '*') as device_type,
        coalesce(country_code, '*') as country_code,
        channel,
        referrer_id,
        campaign_id,
        count(*) as visits,
        count(*) filter (where pageviews = 1) as bounces,
        sum(extract(epoch from ended_at - started_at))::double precision as duration_s,
        sum(pageviews) as pageviews
    from begun
    group by grouping sets (
        (site_id, device_type, country_code, channel, referrer_id, campaign_id),
        (site_id, channel, referrer_id, campaign_id)
    )
)

select * from final
