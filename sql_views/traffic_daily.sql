-- one row per site per UTC day per device type, country and channel of the visit
-- Page views count on the day they happened; visits, bounces and durations on the day of their
-- first page view. Rows with device_type, country_code and channel '*' hold the sums over every
-- value. Bots never count. Definitions: sql_views/README.md.
create view traffic_daily as

with

traffic as (
    select * from rollup_traffic_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        traffic.day,
        traffic.device_type,
        traffic.country_code,
        traffic.channel,
        traffic.pageviews,
        traffic.visits,
        traffic.bounces,
        traffic.duration_s
    from traffic
    join site_hosts using (site_id)
)

select * from final;
