"""SQL of the Acquisition dashboard (grafana/dashboards/acquisition.py)."""

from grafana.queries.common import DAYS, PLACES, SITE, ratio, visitors
from grafana.variables import matches

# sources_daily keeps its sums over every device and country ('*') per channel, so the
# chosen channels are picked from those rows (or from the chosen devices' and countries').
SOURCES = f"{SITE} and {DAYS} and {PLACES} and {matches('channel', 'channel')}"
# Visits begun per channel: rows of single values (the '*' rows of traffic are '*' in every
# filter column, so they cannot be split by channel).
PER_CHANNEL = (
    f"device_type <> '*' and {matches('device_type', 'device')}"
    f" and {matches('country_code', 'country')} and {matches('channel', 'channel')}"
)


def _percent(part: str, whole: str) -> str:
    return f"round(100 * {ratio(part, whole)}::numeric, 1)"


def _quality(bounces: str, visits: str, duration_s: str) -> str:
    """Bounce rate (%) and mean visit duration (s) of visits."""
    return (
        f'{_percent(bounces, visits)} as "Bounce rate %", '
        f'round({ratio(duration_s, visits)}::numeric) as "Mean duration s"'
    )


# Per day: a month of channels is 30 points each, read from daily rows.
CHANNELS_OVER_TIME = f"""
select $__timeGroup(day, $__interval) as time, channel as metric, sum(visits)::bigint as visits
from traffic_daily
where {SITE} and {DAYS} and {PER_CHANNEL}
group by 1, 2
order by 1, 2
"""


def _by_source(kind: str, column: str, label: str, limit: int) -> str:
    """Visits, visitors, bounce rate and duration per value of a sources_daily column, for the
    values with most visits; visitors are the union of the value's sets in
    source_visitors_daily (of every channel: a source all but fixes the channel), read for
    the ranked values only (an array reaches the scan, and the index on values)."""
    return f"""
    with ranked as (
        select {column} as value, sum(visits)::bigint as visits, sum(bounces)::bigint as bounces,
               sum(duration_s)::float as duration_s, sum(pageviews)::bigint as pageviews
        from sources_daily
        where {SOURCES} and {column} <> ''
        group by {column}
        order by visits desc, value
        limit {limit}
    ),
    seen as ({
        visitors(
            "source_visitors_daily",
            f"{SITE} and {DAYS} and kind = '{kind}'"
            " and value = any(array(select value from ranked))",
            by="value",
        )
    })
    select value as "{label}", visits as "Visits", coalesce(visitors, 0) as "Visitors",
           pageviews as "Page views",
           {_quality("bounces", "visits", "duration_s")}
    from ranked left join seen using (value)
    order by visits desc, value
    """


CHANNELS = _by_source("channel", "channel", "Channel", 20)
REFERRER_DOMAINS = _by_source("referrer_domain", "referrer_domain", "Referrer", 30)
REFERRERS = _by_source("referrer", "referrer", "Referring page", 50)
# Each tagged combination of source, medium and campaign; visits without any tag left out.
CAMPAIGNS = f"""
select utm_source as "Source", utm_medium as "Medium", utm_campaign as "Campaign",
       sum(visits)::bigint as "Visits", sum(pageviews)::bigint as "Page views",
       {_quality("sum(bounces)", "sum(visits)", "sum(duration_s)")}
from sources_daily
where {SOURCES} and (utm_source <> '' or utm_medium <> '' or utm_campaign <> '')
group by 1, 2, 3
order by 4 desc, 1, 2, 3
limit 50
"""
UTM_TAGS = "('utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term')"
# Unique visitors per value of each UTM tag (sets are kept per tag, not per combination).
TAG_VISITORS = f"""
select kind as "Tag", value as "Value", visitors as "Visitors"
from ({
    visitors(
        "source_visitors_daily",
        f"{SITE} and {DAYS} and kind in {UTM_TAGS} and value <> ''",
        by="kind, value",
    )
}) as tagged
order by visitors desc, kind, value
limit 50
"""
