"""SQL of the Overview dashboard (grafana/dashboards/overview.py)."""

from grafana.queries.common import (
    BOTS,
    CHANNEL,
    DAYS,
    HOURS,
    PEOPLE,
    PLACES,
    PREVIOUS_DAYS,
    REQUEST_PLACES,
    SITE,
    change,
    days_and_weeks,
    ratio,
    visitors,
)
from grafana.variables import matches


def _traffic(days: str) -> str:
    return f"""
    select coalesce(sum(pageviews), 0)::bigint as pageviews,
           coalesce(sum(visits), 0)::bigint as visits,
           coalesce(sum(bounces), 0)::bigint as bounces,
           coalesce(sum(duration_s), 0)::float as duration_s
    from traffic_daily where {SITE} and {days} and {PEOPLE}
    """


def _headline(figure: str, label: str) -> str:
    """One figure of traffic_daily for the range, and its change against the period before."""
    return f"""
    with now as ({_traffic(DAYS)}),
    before as ({_traffic(PREVIOUS_DAYS)})
    select {figure.format(t="now")} as "{label}",
           {change(figure.format(t="now"), figure.format(t="before"))} as "vs previous period"
    from now, before
    """


VISITORS = f"""
with now as ({visitors("visitors_daily", f"{SITE} and {DAYS} and {CHANNEL}")}),
before as ({
    visitors("visitors_daily", f"{SITE} and {PREVIOUS_DAYS} and {CHANNEL}", days=PREVIOUS_DAYS)
})
select now.visitors as "Visitors", {change("now.visitors", "before.visitors")}
       as "vs previous period"
from now, before
"""
VISITS = _headline("{t}.visits", "Visits")
PAGEVIEWS = _headline("{t}.pageviews", "Page views")
VIEWS_PER_VISIT = _headline(ratio("{t}.pageviews", "{t}.visits"), "Views per visit")
BOUNCE_RATE = _headline(ratio("{t}.bounces", "{t}.visits"), "Bounce rate")
VISIT_DURATION = _headline(ratio("{t}.duration_s", "{t}.visits"), "Visit duration")

# Visitors per time bucket are unions of the bucket's hourly sets: exact at any interval.
VISITORS_OVER_TIME = f"""
with per_bucket as ({
    visitors(
        "visitors_hourly",
        f"{SITE} and {HOURS} and {CHANNEL}",
        by="$__timeGroup(hour, $__interval)",
        name="time",
    )
}),
views as (
    select $__timeGroup(hour, $__interval) as time, sum(pageviews)::bigint as pageviews
    from traffic_hourly
    where {SITE} and {HOURS} and {PEOPLE}
    group by 1
)
select time, coalesce(visitors, 0) as "Visitors", coalesce(pageviews, 0) as "Page views"
from per_bucket full join views using (time)
order by time
"""
TOP_PAGES = f"""
select path as "Page", sum(pageviews)::bigint as "Page views",
       sum(entries)::bigint as "Entries", sum(exits)::bigint as "Exits"
from pages_daily
where {SITE} and {DAYS} and {PEOPLE}
group by path
order by 2 desc, 1
limit 10
"""
TOP_CHANNELS = f"""
select channel as "Channel", sum(visits)::bigint as "Visits",
       round(100 * {ratio("sum(bounces)", "sum(visits)")}::numeric, 1) as "Bounce rate %"
from sources_daily
where {SITE} and {DAYS} and {PLACES} and channel <> '*' and {matches("channel", "channel")}
group by channel
order by 2 desc, 1
"""
TOP_REFERRERS = f"""
select referrer_domain as "Referrer", sum(visits)::bigint as "Visits"
from sources_daily
where {SITE} and {DAYS} and {PLACES} and {matches("channel", "channel")}
  and referrer_domain <> ''
group by referrer_domain
order by 2 desc, 1
limit 10
"""
# Known countries over the range's whole weeks and the days around them.
_COUNTRY_SETS = days_and_weeks(
    "audience_visitors",
    "site, kind, value, chunk, visitors",
    f"{SITE} and kind = 'country' and value <> '' and {matches('value', 'country')}",
)
COUNTRIES = f"""
select value as country_code, visitors
from ({visitors(f"{_COUNTRY_SETS} as audience", "true", by="value")}) as counted
where visitors > 0
order by visitors desc, country_code
"""
DEVICES = f"""
select device_type as "Device", sum(visits)::bigint as "Visits"
from traffic_daily
where {SITE} and {DAYS} and device_type <> '*' and {matches("device_type", "device")}
  and {matches("country_code", "country")}
  and {matches("channel", "channel")}
group by device_type
order by 2 desc, 1
"""
REQUESTS = f"""
select coalesce(sum(requests), 0)::bigint as "Requests"
from requests_daily where {SITE} and {DAYS} and {REQUEST_PLACES} and {BOTS}
"""
HIT_RATIO = f"""
select {ratio("sum(cache_hits)", "sum(cache_lookups)")} as "Cache hit ratio"
from requests_daily where {SITE} and {DAYS} and {REQUEST_PLACES} and {BOTS}
"""
ERROR_RATE_5XX = f"""
select {
    ratio("coalesce(sum(requests) filter (where status_class = '5xx'), 0)", "sum(requests)")
} as "5xx rate"
from results_daily where {SITE} and {DAYS} and {BOTS}
"""
TIME_TAKEN_P95 = f"""
with merged as (
    select bucket, sum(n)::bigint as n
    from latency_daily, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)
    where {SITE} and {DAYS}
    group by bucket
)
select coalesce(latency_quantile(array_agg(bucket), array_agg(n), 0.95), 0) as "p95 time taken"
from merged
"""
