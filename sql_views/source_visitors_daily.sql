-- one row per site per UTC day per source (kind and value) per chunk of visitor numbers
-- The visitors of the visits begun that day, by where those came from: kind is channel,
-- referrer_domain, referrer (domain and path), utm_source, utm_medium, utm_campaign,
-- utm_content or utm_term. Bitmaps as in visitors_daily. A source all but fixes the channel,
-- so these are kept for every channel at once.
create view source_visitors_daily as

with

source_visitors as (
    select * from rollup_source_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        source_visitors.day,
        source_visitors.kind,
        source_visitors.value,
        source_visitors.chunk,
        source_visitors.visitors
    from source_visitors
    join site_hosts using (site_id)
)

select * from final;
