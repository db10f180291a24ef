-- The day's results: the sums of its hours in rollup_results_hourly.
insert into rollup_results_daily
select
    site_id,
    %(day)s::date as day,
    status,
    result_type,
    response_result_type,
    detailed_result_type,
    is_bot,
    sum(requests) as requests,
    sum(bytes) as bytes
from rollup_results_hourly
where hour >= %(day_start)s and hour < %(day_end)s
group by site_id, status, result_type, response_result_type, detailed_result_type, is_bot
