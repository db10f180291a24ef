-- one row per site per UTC day per device, country and channel of the visit per duration bucket
-- The visits begun that day by how long they lasted (last page view - first): 0 s, under
-- 10 s, 10-30 s, 30-60 s, 1-3 min, 3-10 min, 10-30 min, 30 min or more. Rows with
-- device_type, country_code and channel '*' hold the sums over every value.
create view visit_durations_daily as

with

lengths as (
    select * from rollup_visit_lengths_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

by_duration as (
    select
        site_id,
        day,
        device_type,
        country_code,
        channel,
        duration_bucket,
        sum(visits)::bigint as visits
    from lengths
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        site_hosts.site,
        by_duration.day,
        by_duration.device_type,
        by_duration.country_code,
        by_duration.channel,
        by_duration.duration_bucket,
        (array[
            '0 s', '1-10 s', '10-30 s', '30-60 s', '1-3 min', '3-10 min', '10-30 min', '30 min+'
        ])[by_duration.duration_bucket + 1] as duration,
        by_duration.visits
    from by_duration
    join site_hosts using (site_id)
)

select * from final;
