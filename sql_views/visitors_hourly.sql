-- one row per site per hour per channel of the visit per chunk of visitor numbers
-- Who had a page view in that hour, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of hours: bit_or per site and chunk, then
-- sum the bit_count. Channel '*' rows hold every channel. To filter by device or country,
-- intersect (&) with those sets of audience_visitors_daily. Bots never count.
create view visitors_hourly as

with

visitor_sets as (
    select * from rollup_visitors_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        visitor_sets.hour,
        visitor_sets.channel,
        visitor_sets.chunk,
        visitor_sets.visitors
    from visitor_sets
    join site_hosts using (site_id)
)

select * from final;
