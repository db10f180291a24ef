-- The visits begun that day by how long they lasted and how many pages they viewed (buckets
-- in sql_views/README.md): per device, country and channel of the visit, and once more for all.
insert into rollup_visit_lengths_daily

with

begun as (
    select
        *,
        extract(epoch from ended_at - started_at) as seconds
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
),

bucketed as (
    select
        site_id,
        device_type,
        country_code,
        channel,
        case
            when seconds = 0 then 0
            when seconds < 10 then 1
            when seconds < 30 then 2
            when seconds < 60 then 3
            when seconds < 180 then 4
            when seconds < 600 then 5
            when seconds < 1800 then 6
            else 7
        end as duration_bucket,
        case
            when pageviews < 5 then pageviews
            when pageviews < 10 then 5
            else 6
        end as depth_bucket
    from begun
),

final as (
    select
        site_id,
        %(day)s::date as day,
        coalesce(device_type, '*') as device_type,
        coalesce(country_code, '*') as country_code,
        coalesce(channel, '*') as channel,
        duration_bucket,
        depth_bucket,
        count(*) as visits
    from bucketed
    group by grouping sets (
        (site_id, device_type, country_code, channel, duration_bucket, depth_bucket),
        (site_id, duration_bucket, depth_bucket)
    )
)

select * from final
