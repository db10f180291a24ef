-- The visitors of the visits begun that day, by where the visits came from (channel, referrer
-- domain, referrer, each utm_* tag), as bitmaps of visitor numbers in chunks of 1024. The source
-- all but fixes the channel, so sets are kept for every channel at once ('*').
insert into rollup_source_visitors_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
),

sources as (
    select distinct
        begun.site_id,
        tags.kind,
        tags.value,
        begun.visitor_number
    from begun
    left join referrers on referrers.id = begun.referrer_id
    left join campaigns on campaigns.id = begun.campaign_id
    cross join lateral (
        values
            ('channel', begun.channel),
            ('referrer_domain', referrers.domain),
            ('referrer', referrers.domain || referrers.path),
            ('utm_source', campaigns.source),
            ('utm_medium', campaigns.medium),
            ('utm_campaign', campaigns.campaign),
            ('utm_content', campaigns.content),
            ('utm_term', campaigns.term)
    ) as tags (kind, value)
    where tags.value <> ''
),

final as (
    select
        site_id,
        %(day)s::date as day,
        kind,
        value,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from sources
    group by site_id, kind, value, visitor_number / 1024
)

select * from final
