-- one row per site per UTC day per page per device, country and channel per visitor chunk
-- Who viewed the page that day, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. A page's unique visitors over any days: bit_or per site and chunk, then sum
-- the bit_count. Rows with device_type, country_code and channel '*' hold everyone.
create view page_visitors_daily as

with

page_visitors as (
    select * from rollup_page_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
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
        page_visitors.device_type,
        page_visitors.country_code,
        coalesce(channel_names.channel, '*') as channel,
        page_visitors.chunk,
        page_visitors.visitors
    from page_visitors
    join site_hosts using (site_id)
    join path_texts using (path_id)
    left join channel_names using (channel_id)
)

select * from final;
