"""SQL of the Audience dashboard (grafana/dashboards/audience.py).

Every figure is unique visitors: unions of the visitor sets of audience_visitors_daily (or of
visitors_daily over time), intersected with the chosen devices' and countries' sets. Those sets
are of every channel, so there is no channel filter here.
"""

from grafana.queries.common import HOURS, SITE, days_and_weeks, visitors
from grafana.variables import matches

# The columns audience_visitors_daily and _weekly share.
AUDIENCE = (
    "site, kind, value, city, region, city_country_code, latitude, longitude, chunk, visitors"
)


def _audience(kind: str, by: str = "value", extra: str = "") -> str:
    """Visitors per value (or per `by` columns) of one kind of audience set, over the range's
    whole weeks and the days around them."""
    sets = days_and_weeks("audience_visitors", AUDIENCE, f"{SITE} and kind = '{kind}'{extra}")
    return visitors(f"{sets} as audience", "true", by=by)


def _named(kind: str, label: str, limit: int) -> str:
    """Visitors per value of `kind`, most first; unknown values shown as such."""
    return f"""
    select coalesce(nullif(value, ''), 'Unknown') as "{label}", visitors as "Visitors"
    from ({_audience(kind)}) as counted
    where visitors > 0
    order by visitors desc, value
    limit {limit}
    """


# Visitors per time bucket: unions of the bucket's hourly sets of every channel.
VISITORS_OVER_TIME = f"""
{
    visitors(
        "visitors_hourly",
        f"{SITE} and {HOURS} and channel = '*'",
        by="$__timeGroup(hour, $__interval)",
        name="time",
    )
}
order by time
"""
# Known countries only: the map places them by ISO code.
KNOWN_COUNTRIES = f" and value <> '' and {matches('value', 'country')}"
COUNTRY_MAP = f"""
select value as country_code, visitors
from ({_audience("country", extra=KNOWN_COUNTRIES)}) as counted
where visitors > 0
order by visitors desc, country_code
"""
# A city set's value is a location id; its name and place come with it on every row.
CITY_MAP = f"""
select coalesce(nullif(city, ''), 'Unknown') as city, region,
       city_country_code as country, latitude, longitude, visitors
from ({
    _audience(
        "city",
        by="value, city, region, city_country_code, latitude, longitude",
        extra=" and latitude is not null",
    )
}) as counted
where visitors > 0
order by visitors desc, city
limit 300
"""
# A region set's value is "<country code>/<region>".
REGIONS = f"""
select split_part(value, '/', 1) as "Country",
       coalesce(nullif(substr(value, strpos(value, '/') + 1), ''), 'Unknown') as "Region",
       visitors as "Visitors"
from ({_audience("region")}) as counted
where visitors > 0
order by visitors desc, value
limit 50
"""
DEVICES = _named("device", "Device", 10)
BROWSERS = _named("browser", "Browser", 10)
BROWSER_VERSIONS = _named("browser_version", "Browser version", 30)
SYSTEMS = _named("os", "Operating system", 10)
SYSTEM_VERSIONS = _named("os_version", "OS version", 30)
