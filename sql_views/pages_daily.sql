-- one row per site per UTC day per page per device type, country and channel of the visit
-- Page views of the page that day, and the visits that began (entries) and ended (exits) on
-- it that day. Rows with device_type, country_code and channel '*' hold the sums over every
-- value. Its visitors are in page_visitors_daily.
create view pages_daily as

with

pages as (
    select * from rollup_pages_daily
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
        pages.day,
        pages.path_id,
        path_texts.path,
        pages.device_type,
        pages.country_code,
        pages.channel,
        pages.pageviews,
        pages.entries,
        pages.exits
    from pages
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
