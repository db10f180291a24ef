-- Visits that began that day, by their first page view's channel, referrer and campaign.
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
        device_type,
        country_code,
        channel_id,
        referrer_id,
        campaign_id,
        count(*) as visits,
        count(*) filter (where pageviews = 1) as bounces,
        sum(extract(epoch from ended_at - started_at))::double precision as duration_s,
        sum(pageviews) as pageviews,
        array_agg(distinct visitor_number order by visitor_number) as visitors
    from begun
    group by site_id, device_type, country_code, channel_id, referrer_id, campaign_id
)

select * from final
