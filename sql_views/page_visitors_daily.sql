-- one row per site per UTC day per page per channel of the visit per chunk of visitor numbers
-- Who viewed the page that day, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. A page's unique visitors over any days: bit_or per site and chunk, then sum
-- the bit_count. Channel '*' rows hold every channel. To filter by device or country,
-- intersect (&) with those sets of audience_visitors_daily.
create view page_visitors_daily as

with

page_visitors as (
    select * from rollup_page_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        page_visitors.day,
        page_visitors.path_id,
        path_texts.path,
        page_visitors.channel,
        page_visitors.chunk,
        page_visitors.visitors
    from page_visitors
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
