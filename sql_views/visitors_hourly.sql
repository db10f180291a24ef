-- one row per site per hour per device, country and channel of the visit per visitor chunk
-- Who had a page view in that hour, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of hours: bit_or per site and chunk, then
-- sum the bit_count. Rows with device_type, country_code and channel '*' hold everyone (read
-- them when no filter is set), rows with only device_type and country_code '*' everyone per
-- channel, the others one device, country and channel each. Bots never count.
create view visitors_hourly as

with

visitor_sets as (
    select * from rollup_visitors_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

final as (
    select
        site_hosts.site,
        visitor_sets.hour,
        visitor_sets.device_type,
        visitor_sets.country_code,
        coalesce(channel_names.channel, '*') as channel,
        visitor_sets.chunk,
        visitor_sets.visitors
    from visitor_sets
    join site_hosts using (site_id)
    left join channel_names using (channel_id)
)

select * from final;
