-- The day's latency: the hours of rollup_latency_hourly merged bucket by bucket, and the day's
-- p50, p95 and p99 read from the merged histograms.
insert into rollup_latency_daily

with

day_hours as (
    select *
    from rollup_latency_hourly
    where hour >= %(day_start)s and hour < %(day_end)s
),

counts as (
    select site_id, sum(requests) as requests from day_hours group by 1
),

time_taken_buckets as (
    select site_id, bucket, sum(n) as n
    from day_hours, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)
    group by 1, 2
),

time_taken as (
    select
        site_id,
        array_agg(bucket order by bucket) as time_taken_buckets,
        array_agg(n order by bucket) as time_taken_counts
    from time_taken_buckets
    group by 1
),

ttfb_buckets as (
    select site_id, bucket, sum(n) as n
    from day_hours, unnest(ttfb_buckets, ttfb_counts) as h(bucket, n)
    group by 1, 2
),

ttfb as (
    select
        site_id,
        array_agg(bucket order by bucket) as ttfb_buckets,
        array_agg(n order by bucket) as ttfb_counts
    from ttfb_buckets
    group by 1
),

final as (
    select
        counts.site_id,
        %(day)s::date as day,
        counts.requests,
        latency_quantile(time_taken.time_taken_buckets, time_taken.time_taken_counts, 0.5)
            as time_taken_p50_ms,
        latency_quantile(time_taken.time_taken_buckets, time_taken.time_taken_counts, 0.95)
            as time_taken_p95_ms,
        latency_quantile(time_taken.time_taken_buckets, time_taken.time_taken_counts, 0.99)
            as time_taken_p99_ms,
        latency_quantile(ttfb.ttfb_buckets, ttfb.ttfb_counts, 0.5) as ttfb_p50_ms,
        latency_quantile(ttfb.ttfb_buckets, ttfb.ttfb_counts, 0.95) as ttfb_p95_ms,
        latency_quantile(ttfb.ttfb_buckets, ttfb.ttfb_counts, 0.99) as ttfb_p99_ms,
        coalesce(time_taken.time_taken_buckets, '{}') as time_taken_buckets,
        coalesce(time_taken.time_taken_counts, '{}') as time_taken_counts,
        coalesce(ttfb.ttfb_buckets, '{}') as ttfb_buckets,
        coalesce(ttfb.ttfb_counts, '{}') as ttfb_counts
    from counts
    left join time_taken using (site_id)
    left join ttfb using (site_id)
)

select * from final
