-- Every request of the day, bots and assets included, by hour: histograms of time-taken and
-- time-to-first-byte (as in rollup_edges_hourly), and the hour's p50, p95 and p99 read from them,
-- so a chart of hours reads no bucket.
insert into rollup_latency_hourly

with

day_requests as (
    select site_id, date_trunc('hour', ts) as hour, time_taken_ms, ttfb_ms
    from requests
    where ts >= %(day_start)s and ts < %(day_end)s
),

time_taken_buckets as (
    select site_id, hour, latency_bucket(time_taken_ms) as bucket, count(*) as n
    from day_requests
    where time_taken_ms is not null
    group by 1, 2, 3
),

time_taken as (
    select
        site_id, hour,
        array_agg(bucket order by bucket) as time_taken_buckets,
        array_agg(n order by bucket) as time_taken_counts
    from time_taken_buckets
    group by 1, 2
),

ttfb_buckets as (
    select site_id, hour, latency_bucket(ttfb_ms) as bucket, count(*) as n
    from day_requests
    where ttfb_ms is not null
    group by 1, 2, 3
),

ttfb as (
    select
        site_id, hour,
        array_agg(bucket order by bucket) as ttfb_buckets,
        array_agg(n order by bucket) as ttfb_counts
    from ttfb_buckets
    group by 1, 2
),

hours as (
    select site_id, hour, count(*) as requests from day_requests group by 1, 2
),

final as (
    select
        hours.site_id,
        hours.hour,
        hours.requests,
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
    from hours
    left join time_taken using (site_id, hour)
    left join ttfb using (site_id, hour)
)

select * from final
