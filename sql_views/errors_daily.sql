-- one row per site per UTC day per error path per status, referrer and bot flag
-- Requests answered 4xx or 5xx, or 000 (status 0: the viewer hung up before the response),
-- assets included, with the referrer that linked to the path ('' when none was sent).
create view errors_daily as

with

error_counts as (
    select * from rollup_errors_daily
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
        error_counts.day,
        error_counts.path_id,
        path_texts.path,
        error_counts.status,
        case
            when error_counts.status = 0 then '000'
            else (error_counts.status / 100)::text || 'xx'
        end as status_class,
        error_counts.referrer_id,
        coalesce(referrer_urls.referrer_domain, '') as referrer_domain,
        coalesce(referrer_urls.referrer, '') as referrer,
        error_counts.is_bot,
        error_counts.requests,
        error_counts.bytes
    from error_counts
    join site_hosts using (site_id)
    join path_texts using (path_id)
    left join referrer_urls using (referrer_id)
)

select * from final;
