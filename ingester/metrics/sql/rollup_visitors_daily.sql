-- The day's visitors: the union of its hours in rollup_visitors_hourly.
insert into rollup_visitors_daily
select
    site_id,
    %(day)s::date as day,
    channel,
    chunk,
    bit_or(visitors) as visitors
from rollup_visitors_hourly
where hour >= %(day_start)s and hour < %(day_end)s
group by site_id, channel, chunk
