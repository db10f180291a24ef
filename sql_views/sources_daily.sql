-- one row per site per UTC day per device, country, channel, referrer and campaign of the visit
-- Visits that began that day, by where they came from (their first page view's referrer,
-- channel and utm_* tags). Rows with device_type and country_code '*' hold the sums over every
-- device and country. Their visitors are in source_visitors_daily.
create view sources_daily as

with

sources as (
    select * from rollup_sources_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

referrer_urls as (
    select id as referrer_id, domain as referrer_domain, domain || path as referrer
    from referrers
),

utm_tags as (
    select
        id as campaign_id,
        source as utm_source,
        medium as utm_medium,
        campaign as utm_campaign,
        content as utm_content,
        term as utm_term
    from campaigns
),

final as (
    select
        site_hosts.site,
        sources.day,
        sources.device_type,
        sources.country_code,
        sources.channel,
        sources.referrer_id,
        coalesce(referrer_urls.referrer_domain, '') as referrer_domain,
        coalesce(referrer_urls.referrer, '') as referrer,
        sources.campaign_id,
        coalesce(utm_tags.utm_source, '') as utm_source,
        coalesce(utm_tags.utm_medium, '') as utm_medium,
        coalesce(utm_tags.utm_campaign, '') as utm_campaign,
        coalesce(utm_tags.utm_content, '') as utm_content,
        coalesce(utm_tags.utm_term, '') as utm_term,
        sources.visits,
        sources.bounces,
        sources.duration_s,
        sources.pageviews
    from sources
    join site_hosts using (site_id)
    left join referrer_urls using (referrer_id)
    left join utm_tags using (campaign_id)
)

select * from final;
