"""SQL of the Bots dashboard (grafana/dashboards/bots.py)."""

from grafana.queries.common import DAYS, HOURS, SITE, ratio

# Every device and country: the '*' rows of the request rollups.
EVERY_VIEWER = "device_type = '*' and country_code = '*'"
# Bots whose user agent names none are kept under ''.
NAME = "coalesce(nullif(bot_name, ''), '(unnamed)')"
BOT_REQUESTS = "coalesce(sum(requests) filter (where is_bot), 0)"

BOT_SHARE = f"""
select {ratio(BOT_REQUESTS, "sum(requests)")} as "Bot share"
from requests_daily
where {SITE} and {DAYS} and {EVERY_VIEWER}
"""
REQUESTS = f"""
select {BOT_REQUESTS}::bigint as "Bot requests"
from requests_daily
where {SITE} and {DAYS} and {EVERY_VIEWER}
"""
BYTES = f"""
select coalesce(sum(bytes) filter (where is_bot), 0)::bigint as "Bot bytes"
from requests_daily
where {SITE} and {DAYS} and {EVERY_VIEWER}
"""
# A client is kept once per day it came: distinct over the days, never a sum of days.
# Distinct over a hashed set of clients: count(distinct) would sort them all.
CLIENTS = f"""
select count(*)::bigint as "Distinct bot clients"
from (
    select distinct client from bots_daily, unnest(clients) as client
    where {SITE} and {DAYS}
) as distinct_clients
"""
SHARE_OVER_TIME = f"""
select $__timeGroup(hour, $__interval) as time,
       {ratio(BOT_REQUESTS, "sum(requests)")} as "Bot share"
from requests_hourly
where {SITE} and {HOURS} and {EVERY_VIEWER}
group by 1
order by time
"""
CATEGORIES = f"""
select category as "Category", sum(requests)::bigint as "Requests"
from bots_daily
where {SITE} and {DAYS}
group by category
order by 2 desc, 1
"""
BYTES_OVER_TIME = f"""
select $__timeGroup(day, $__interval) as time, category as metric, sum(bytes)::bigint as value
from bots_daily
where {SITE} and {DAYS}
group by 1, 2
order by time, metric
"""
TOP_BOTS = f"""
with counts as (
    select bot_name, category, sum(requests)::bigint as requests, sum(bytes)::bigint as bytes
    from bots_daily
    where {SITE} and {DAYS}
    group by bot_name, category
),
clients as (
    select bot_name, count(*)::bigint as clients
    from (
        select distinct bot_name, client from bots_daily, unnest(clients) as client
        where {SITE} and {DAYS}
    ) as distinct_clients
    group by bot_name
)
select {NAME} as "Bot", category as "Category", requests as "Requests",
       round(bytes / 1e6, 1) as "MB", coalesce(clients.clients, 0) as "Distinct clients"
from counts left join clients using (bot_name)
order by requests desc, 1
limit 25
"""
BOT_PATHS = f"""
select {NAME} as "Bot", path as "Path", sum(requests)::bigint as "Requests",
       round(sum(bytes) / 1e6, 1) as "MB"
from bot_paths_daily
where {SITE} and {DAYS}
group by bot_name, path_id, path
order by 3 desc, 1, 2
limit 25
"""
