-- one row per site per UTC day per device, country and channel of the visit per depth bucket
-- The visits begun that day by how many pages they viewed: 1, 2, 3, 4, 5-9, 10 or more. Rows
-- with device_type, country_code and channel '*' hold the sums over every value.
create view visit_depths_daily as

with

lengths as (
    select * from rollup_visit_lengths_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

by_depth as (
    select
        site_id,
        day,
        device_type,
        country_code,
        channel,
        depth_bucket,
        sum(visits)::bigint as visits
    from lengths
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        site_hosts.site,
        by_depth.day,
        by_depth.device_type,
        by_depth.country_code,
        by_depth.channel,
        by_depth.depth_bucket,
        (array['1', '2', '3', '4', '5-9', '10+'])[by_depth.depth_bucket] as pages,
        by_depth.visits
    from by_depth
    join site_hosts using (site_id)
)

select * from final;
