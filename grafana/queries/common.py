"""SQL shared by the dashboards' queries: ranges, filters and exact visitor counts.

Daily views are read over the UTC days the time range touches; hourly views over the hours
that start in it. See sql_views/README.md for the views and the definitions.
"""

from __future__ import annotations

from grafana.variables import bots_included, everything, matches, sliced

SITE = matches("site", "site")
DAYS = "$__timeFilter(day)"
HOURS = "$__timeFilter(hour)"
# The days of the period of equal length just before the range (for "vs previous period").
PREVIOUS_DAYS = (
    "day between $__timeFrom()::date - ($__timeTo()::date - $__timeFrom()::date + 1)"
    " and $__timeFrom()::date - 1"
)
# Rows of the counting rollups for the chosen devices, countries and channels.
PEOPLE = sliced(("device_type", "device"), ("country_code", "country"), ("channel", "channel"))
PLACES = sliced(("device_type", "device"), ("country_code", "country"))
# The same for requests: a bot has no device type of its own (its rows say 'bot'), so when
# bots are counted a chosen device keeps them (BOTS decides whether they count at all).
_PLACES_ALL = f"{everything('device')} and {everything('country')}"
REQUEST_PLACES = (
    f"((({_PLACES_ALL}) and device_type = '*') or (not ({_PLACES_ALL}) and device_type <> '*'"
    f" and ({matches('device_type', 'device')} or device_type = 'bot')"
    f" and {matches('country_code', 'country')}))"
)
CHANNEL = sliced(("channel", "channel"))
BOTS = bots_included()

# Whole weeks (Monday to Sunday) inside the range's days, for views with a weekly twin: the
# first Monday on or after the first day, and the Monday after the last whole week.
FIRST_DAY = "$__timeFrom()::date"
LAST_DAY = "$__timeTo()::date"
WEEKS_START = f"({FIRST_DAY} + (8 - date_part('isodow', {FIRST_DAY})::int) % 7)"
WEEKS_END = f"({WEEKS_START} + 7 * greatest(({LAST_DAY} + 1 - {WEEKS_START}) / 7, 0))"
WEEKS = f"week >= {WEEKS_START} and week < {WEEKS_END}"
DAYS_AROUND_WEEKS = f"{DAYS} and (day < {WEEKS_START} or day >= {WEEKS_END})"


def days_and_weeks(name: str, columns: str, where: str) -> str:
    """The rows of `name`_daily over the range, as a subquery: its whole weeks from the weekly
    view (the same sums or unions, from about a seventh of the rows), the days around them
    from the daily one. `columns` are those both views have; `where` filters both."""
    return f"""(
        select {columns} from {name}_weekly where {where} and {WEEKS}
        union all
        select {columns} from {name}_daily where {where} and {DAYS_AROUND_WEEKS}
    )"""


def ratio(part: str, whole: str) -> str:
    """part / whole, 0 when there is no whole."""
    return f"coalesce({part}::float / nullif({whole}, 0), 0)"


def change(now: str, before: str) -> str:
    """Relative change against the previous period, as text ("+12.5 %"), for a stat to show
    beside the figure; "no earlier data" when there was nothing before."""
    pct = f"round((100 * ({now}::float / nullif({before}, 0) - 1))::numeric, 1)"
    return (
        f"coalesce(case when {pct} >= 0 then '+' else '' end || {pct} || ' %', 'no earlier data')"
    )


def visitors(view: str, where: str, by: str = "", name: str = "", days: str = DAYS) -> str:
    """Distinct visitors of the visitor-set rows of `view` matching `where`, per `by` (an
    expression, named `name`): the union of the sets (never a sum of counts), intersected
    with the sets of the chosen devices and countries (a visitor's device and country never
    change, so that is exact)."""
    name = name or by
    keys = f"{name}, " if by else ""
    # Without a name, `by` may list several columns ("funnel, step"): they keep their names.
    picked = f"{by} as {name}, " if by and name != by else keys
    return f"""
    with sets as (
        select {picked}site, chunk, bit_or(visitors) as v
        from {view}
        where {where}
        group by {keys}site, chunk
    ),
    people as (
        select site, chunk,
               bit_or(visitors) filter (where kind = 'device') as devices,
               bit_or(visitors) filter (where kind = 'country') as countries
        from audience_visitors_daily
        where {SITE} and {days}
          and ((kind = 'device' and not {everything("device")} and {matches("value", "device")})
            or (kind = 'country' and not {everything("country")}
                and {matches("value", "country")}))
        group by site, chunk
    ),
    counted as (
        select {keys}bit_count(case
            when {everything("device")} and {everything("country")} then sets.v
            when {everything("device")} then sets.v & people.countries
            when {everything("country")} then sets.v & people.devices
            else sets.v & people.devices & people.countries end) as n
        from sets left join people using (site, chunk)
    )
    select {keys}coalesce(sum(n), 0)::bigint as visitors from counted
    {f"group by {name}" if by else ""}
    """
