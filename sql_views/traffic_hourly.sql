-- one row per site per hour per device type, country and channel of the visit
-- Page views count in the hour they happened; visits, bounces and durations in the hour of
-- their first page view. Rows with device_type, country_code and channel '*' hold the sums over
-- every value. Bots never count. Definitions: sql_views/README.md.
create view traffic_hourly as

with

traffic as (
    select * from rollup_traffic_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        traffic.hour,
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
