-- The day's requests answered 404, by path, referrer and bot flag.
insert into rollup_not_found_daily

with

not_found as (
    select requests.*
    from requests
    join responses on responses.id = requests.response_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
      and responses.status = 404
),

final as (
    select
        site_id,
        %(day)s::date as day,
        path_id,
        coalesce(referrer_id, 0) as referrer_id,
        is_bot,
        count(*) as requests
    from not_found
    group by 1, 2, 3, 4, 5
)

select * from final
