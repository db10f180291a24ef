"""SQL of the Errors dashboard (grafana/dashboards/errors.py)."""

from grafana.queries.common import BOTS, DAYS, HOURS, SITE, ratio

# An error is a request of class 4xx, 5xx or 000 (status 0: the viewer hung up).
ERROR_CLASSES = "status_class in ('4xx', '5xx', '000')"
# Edge locations in the table of errors by edge.
TOP_EDGES = 15
TOP_PATHS = 20


def _requests(where: str = "true") -> str:
    return f"coalesce(sum(requests) filter (where {where}), 0)"


def _percent(part: str, whole: str) -> str:
    """A share in percent, rounded, for tables (whose numbers share one unit)."""
    return f"round((100 * {ratio(part, whole)})::numeric, 2)"


ERRORS = f"""
select {_requests(ERROR_CLASSES)}::bigint as "Errors",
       {_percent(_requests(ERROR_CLASSES), "sum(requests)")} || ' % of requests' as "share"
from results_daily
where {SITE} and {DAYS} and {BOTS}
"""


def _rate(status_class: str) -> str:
    return f"""
    select {ratio(_requests(f"status_class = '{status_class}'"), "sum(requests)")}
           as "{status_class} rate"
    from results_daily
    where {SITE} and {DAYS} and {BOTS}
    """


RATE_4XX = _rate("4xx")
RATE_5XX = _rate("5xx")
RATE_000 = _rate("000")

STATUS_CLASSES_OVER_TIME = f"""
select $__timeGroup(hour, $__interval) as time, status_class as metric,
       sum(requests)::bigint as value
from results_hourly
where {SITE} and {HOURS} and {BOTS}
group by 1, 2
order by time, metric
"""
ERROR_RATES_OVER_TIME = f"""
select $__timeGroup(hour, $__interval) as time,
       {ratio(_requests("status_class = '4xx'"), "sum(requests)")} as "4xx rate",
       {ratio(_requests("status_class = '5xx'"), "sum(requests)")} as "5xx rate",
       {ratio(_requests("status_class = '000'"), "sum(requests)")} as "000 rate"
from results_hourly
where {SITE} and {HOURS} and {BOTS}
group by 1
order by time
"""
# The referrer that sent most of a path's errors of a status: the first of them by requests.
TOP_ERROR_PATHS = f"""
with per_referrer as (
    select path, status, referrer, sum(requests) as requests
    from errors_daily
    where {SITE} and {DAYS} and {BOTS}
    group by path, status, referrer
)
select path as "Path", status as "Status", sum(requests)::bigint as "Requests",
       coalesce(nullif((array_agg(referrer order by requests desc, referrer))[1], ''), '(none)')
           as "Top referrer"
from per_referrer
group by path, status
order by 3 desc, 1, 2
limit {TOP_PATHS}
"""
ERROR_STATUSES = f"""
select case when status = 0 then '000' else status::text end as "Status",
       sum(requests)::bigint as "Requests"
from results_daily
where {SITE} and {DAYS} and {BOTS} and {ERROR_CLASSES}
group by status
order by 2 desc, 1
limit 15
"""
ERRORS_BY_RESULT_TYPE = f"""
select case when detailed_result_type = '' then '(not logged)'
            else detailed_result_type end as "Detailed result type",
       {_requests("status_class = '4xx'")}::bigint as "4xx",
       {_requests("status_class = '5xx'")}::bigint as "5xx",
       {_requests("status_class = '000'")}::bigint as "000",
       sum(requests)::bigint as "Errors"
from results_daily
where {SITE} and {DAYS} and {BOTS} and {ERROR_CLASSES}
group by 1
order by 5 desc, 1
"""
ERRORS_BY_EDGE = f"""
select edge_location as "Edge", max(city) as "City", max(country_code) as "Country",
       sum(requests)::bigint as "Requests", sum(status_4xx)::bigint as "4xx",
       sum(status_5xx)::bigint as "5xx", sum(status_000)::bigint as "000",
       {_percent("sum(status_4xx + status_5xx + status_000)", "sum(requests)")}
           as "Error rate %"
from edges_daily
where {SITE} and {DAYS} and {BOTS}
group by edge_location
having sum(status_4xx + status_5xx + status_000) > 0
order by sum(status_4xx + status_5xx + status_000) desc, edge_location
limit {TOP_EDGES}
"""
