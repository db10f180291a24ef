-- The day's edge locations: the sums of its hours in rollup_edges_hourly, histograms merged
-- bucket by bucket.
insert into rollup_edges_daily

with

day_hours as (
    select *
    from rollup_edges_hourly
    where hour >= %(day_start)s and hour < %(day_end)s
),

counts as (
    select
        site_id,
        edge_location,
        is_bot,
        sum(requests) as requests,
        sum(bytes) as bytes,
        sum(cache_hits) as cache_hits,
        sum(cache_lookups) as cache_lookups,
        sum(cache_hit_bytes) as cache_hit_bytes,
        sum(cache_lookup_bytes) as cache_lookup_bytes,
        sum(status_4xx) as status_4xx,
        sum(status_5xx) as status_5xx,
        sum(status_000) as status_000
    from day_hours
    group by 1, 2, 3
),

time_taken_buckets as (
    select site_id, edge_location, is_bot, bucket, sum(n) as n
    from day_hours, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)
    group by 1, 2, 3, 4
),

time_taken as (
    select
        site_id, edge_location, is_bot,
        array_agg(bucket order by bucket) as time_taken_buckets,
        array_agg(n order by bucket) as time_taken_counts
    from time_taken_buckets
    group by 1, 2, 3
),

ttfb_buckets as (
    select site_id, edge_location, is_bot, bucket, sum(n) as n
    from day_hours, unnest(ttfb_buckets, ttfb_counts) as h(bucket, n)
    group by 1, 2, 3, 4
),

ttfb as (
    select
        site_id, edge_location, is_bot,
        array_agg(bucket order by bucket) as ttfb_buckets,
        array_agg(n order by bucket) as ttfb_counts
    from ttfb_buckets
    group by 1, 2, 3
),

final as (
    select
        counts.site_id,
        %(day)s::date as day,
        counts.edge_location,
        counts.is_bot,
        counts.requests,
        counts.bytes,
        counts.cache_hits,
        counts.cache_lookups,
        counts.cache_hit_bytes,
        counts.cache_lookup_bytes,
        counts.status_4xx,
        counts.status_5xx,
        counts.status_000,
        coalesce(time_taken.time_taken_buckets, '{}') as time_taken_buckets,
        coalesce(time_taken.time_taken_counts, '{}') as time_taken_counts,
        coalesce(ttfb.ttfb_buckets, '{}') as ttfb_buckets,
        coalesce(ttfb.ttfb_counts, '{}') as ttfb_counts
    from counts
    left join time_taken using (site_id, edge_location, is_bot)
    left join ttfb using (site_id, edge_location, is_bot)
)

select * from final
