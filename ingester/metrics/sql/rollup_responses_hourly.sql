-- Every request of the day, bots and assets included, by hour, response (status, result types,
-- content type, method, protocol, TLS, edge location: one id for all) and bot flag.
insert into rollup_responses_hourly

with

day_requests as (
    select site_id, ts, response_id, is_bot, bytes_sent
    from requests
    where ts >= %(day_start)s and ts < %(day_end)s
),

final as (
    select
        site_id,
        date_trunc('hour', ts) as hour,
        response_id,
        is_bot,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes
    from day_requests
    group by 1, 2, 3, 4
)

select * from final
