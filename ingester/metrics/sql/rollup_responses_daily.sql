-- The day's responses: the sums of its hours in rollup_responses_hourly.
insert into rollup_responses_daily
select
    site_id,
    %(day)s::date as day,
    response_id,
    is_bot,
    sum(requests) as requests,
    sum(bytes) as bytes
from rollup_responses_hourly
where hour >= %(day_start)s and hour < %(day_end)s
group by site_id, response_id, is_bot
