-- one row per site per UTC day per not-found path per referrer and bot flag
-- Requests answered 404, assets included, with the referrer that linked to the path ('' when
-- none was sent).
create view not_found_daily as

with

not_found as (
    select * from rollup_not_found_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

referrer_urls as (
    select id as referrer_id, domain as referrer_domain, domain || path as referrer
    from referrers
),

final as (
    select
        site_hosts.site,
        not_found.day,
        not_found.path_id,
        path_texts.path,
        not_found.referrer_id,
        coalesce(referrer_urls.referrer_domain, '') as referrer_domain,
        coalesce(referrer_urls.referrer, '') as referrer,
        not_found.is_bot,
        not_found.requests
    from not_found
    join site_hosts using (site_id)
    join path_texts using (path_id)
    left join referrer_urls using (referrer_id)
)

select * from final;
