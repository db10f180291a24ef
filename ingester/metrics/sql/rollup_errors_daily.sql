-- The day's error responses (status 4xx, 5xx, and 0 when the viewer hung up), by path, status,
-- referrer and bot flag.
insert into rollup_errors_daily

with

errors as (
    select requests.*, responses.status
    from requests
    join responses on responses.id = requests.response_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
      and (responses.status >= 400 or responses.status = 0)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        path_id,
        status,
        coalesce(referrer_id, 0) as referrer_id,
        is_bot,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes
    from errors
    group by 1, 2, 3, 4, 5, 6
)

select * from final
