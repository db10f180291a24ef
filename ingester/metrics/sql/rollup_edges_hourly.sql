-- Every request of the day by hour, edge location and bot flag: requests, bytes, cache results,
-- errors (4xx, 5xx, 000) and histograms of time-taken and time-to-first-byte (latency_bucket(ms) → count, only the
-- buckets that hold any).
insert into rollup_edges_hourly

with

day_requests as (
    select
        requests.site_id,
        date_trunc('hour', requests.ts) as hour,
        responses.edge_location,
        requests.is_bot,
        requests.bytes_sent,
        requests.time_taken_ms,
        requests.ttfb_ms,
        responses.result_type,
        responses.status
    from requests
    join responses on responses.id = requests.response_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
),

counts as (
    select
        site_id,
        hour,
        edge_location,
        is_bot,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes,
        count(*) filter (where result_type in ('Hit', 'RefreshHit')) as cache_hits,
        count(*) filter (where result_type in ('Hit', 'RefreshHit', 'Miss')) as cache_lookups,
        coalesce(sum(bytes_sent) filter (where result_type in ('Hit', 'RefreshHit')), 0)
            as cache_hit_bytes,
        coalesce(sum(bytes_sent) filter (where result_type in ('Hit', 'RefreshHit', 'Miss')), 0)
            as cache_lookup_bytes,
        count(*) filter (where status between 400 and 499) as status_4xx,
        count(*) filter (where status between 500 and 599) as status_5xx,
        count(*) filter (where status = 0) as status_000
    from day_requests
    group by 1, 2, 3, 4
),

time_taken_buckets as (
    select site_id, hour, edge_location, is_bot, latency_bucket(time_taken_ms) as bucket,
        count(*) as n
    from day_requests
    where time_taken_ms is not null
    group by 1, 2, 3, 4, 5
),

time_taken as (
    select
        site_id, hour, edge_location, is_bot,
        array_agg(bucket order by bucket) as time_taken_buckets,
        array_agg(n order by bucket) as time_taken_counts
    from time_taken_buckets
    group by 1, 2, 3, 4
),

ttfb_buckets as (
    select site_id, hour, edge_location, is_bot, latency_bucket(ttfb_ms) as bucket,
        count(*) as n
    from day_requests
    where ttfb_ms is not null
    group by 1, 2, 3, 4, 5
),

ttfb as (
    select
        site_id, hour, edge_location, is_bot,
        array_agg(bucket order by bucket) as ttfb_buckets,
        array_agg(n order by bucket) as ttfb_counts
    from ttfb_buckets
    group by 1, 2, 3, 4
),

final as (
    select
        counts.*,
        coalesce(time_taken.time_taken_buckets, '{}') as time_taken_buckets,
        coalesce(time_taken.time_taken_counts, '{}') as time_taken_counts,
        coalesce(ttfb.ttfb_buckets, '{}') as ttfb_buckets,
        coalesce(ttfb.ttfb_counts, '{}') as ttfb_counts
    from counts
    left join time_taken using (site_id, hour, edge_location, is_bot)
    left join ttfb using (site_id, hour, edge_location, is_bot)
)

select * from final
