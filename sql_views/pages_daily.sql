-- one row per site per UTC day per page per device type, country and channel of the visit
-- Page views of the page that day, the visits that began (entries) and ended (exits) on it
-- that day, and the numbers of the visitors who viewed it (count distinct over any days).
create materialized view pages_daily as

with

pages as (
    select * from rollup_pages_daily
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
        pages.day,
        pages.path_id,
        path_texts.path,
        pages.device_type,
        pages.country_code,
        channel_names.channel,
        pages.pageviews,
        pages.entries,
        pages.exits,
        pages.visitors
    from pages
    join site_hosts using (site_id)
    join channel_names using (channel_id)
    join path_texts using (path_id)
)

select * from final;

create unique index pages_daily_key
    on pages_daily (site, day, path_id, device_type, country_code, channel);
