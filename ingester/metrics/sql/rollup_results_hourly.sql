-- Every request of the day, bots and assets included, by hour, status, result types (edge,
-- response and detailed) and bot flag.
insert into rollup_results_hourly

with

day_requests as (
    select
        requests.site_id,
        date_trunc('hour', requests.ts) as hour,
        responses.status,
        coalesce(responses.result_type, '') as result_type,
        coalesce(responses.response_result_type, '') as response_result_type,
        coalesce(responses.detailed_result_type, '') as detailed_result_type,
        requests.is_bot,
        requests.bytes_sent
    from requests
    join responses on responses.id = requests.response_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
),

final as (
    select
        site_id,
        hour,
        status,
        result_type,
        response_result_type,
        detailed_result_type,
        is_bot,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes
    from day_requests
    group by 1, 2, 3, 4, 5, 6, 7
)

select * from final
