"""Dashboard variables (site, device, country, channel, bots…) and the SQL that filters on them.

A selection reaches SQL only as `${var:sqlstring}`: each value quoted, quotes doubled, so a
value with a quote works and cannot inject SQL. "All" is the custom value `'__all'`, which
Grafana inserts as it is (never escaped), hence the quotes inside it. Filters read the
selection as an array, `array[${var:sqlstring}]::text[]`, which is also valid SQL when nothing
is selected; no selection filters nothing, like All.
"""

from __future__ import annotations

import attr
from grafanalib import core as G

from grafana.house import DATASOURCE
from ingester.enrich.channel import Channel

ALL = "'__all'"


def chosen(var: str) -> str:
    """The selection of `var` as a text array."""
    return f"array[${{{var}:sqlstring}}]::text[]"


def everything(var: str) -> str:
    """True when `var` is All or nothing: every choice is All (an empty array is in any)."""
    return f"{chosen(var)} <@ array['__all']"


def matches(column: str, var: str) -> str:
    """`column` is one of the chosen values (any value under All)."""
    return f"({everything(var)} or {column} = any({chosen(var)}))"


def sliced(*filters: tuple[str, str]) -> str:
    """Rows of a rollup whose rows with `'*'` in every filter column hold the sums (or unions)
    over every value: those rows when every filter is All, else the rows of the chosen values,
    to be added up. `filters` are (column, variable) pairs."""
    every = " and ".join(everything(var) for _, var in filters)
    first = filters[0][0]
    chosen_rows = " and ".join(matches(column, var) for column, var in filters)
    return (
        f"((({every}) and {first} = '*') or (not ({every}) and {first} <> '*' and {chosen_rows}))"
    )


def bots_included(column: str = "is_bot") -> str:
    """Bots only when the "include bots" switch is on."""
    return f"(not {column} or ${{bots:sqlstring}} = 'yes')"


@attr.s
class Variable(G.Template):
    """grafanalib's Template with the description Grafana shows under the variable."""

    description = attr.ib(default="")

    def to_json_data(self):
        return super().to_json_data() | {"description": self.description}


def query_variable(name, label, sql, *, multi=True, include_all=True, description=""):
    return Variable(
        name=name,
        label=label,
        query=sql.strip(),
        dataSource=DATASOURCE,
        multi=multi,
        includeAll=include_all,
        allValue=ALL if include_all else None,
        default="$__all" if include_all else None,
        refresh=G.REFRESH_ON_TIME_RANGE_CHANGE,
        sort=G.SORT_ALPHA_ASC,
        description=description,
    )


SITE_SQL = """
select distinct site from requests_daily
where device_type = '*' and country_code = '*' and $__timeFilter(day)
order by 1
"""
COUNTRY_SQL = """
select distinct value from audience_visitors_daily
where kind = 'country' and value <> '' and $__timeFilter(day) and {site}
order by 1
"""
# Device types of page views (bots have their own switch); see ingester/enrich/useragent.py.
DEVICES = ["desktop", "mobile", "tablet", "other", "unknown"]
CHANNELS = [channel.label for channel in Channel]


def site() -> G.Template:
    return query_variable("site", "Site", SITE_SQL, description="Sites (CloudFront hosts)")


def country() -> G.Template:
    return query_variable(
        "country",
        "Country",
        COUNTRY_SQL.format(site=matches("site", "site")),
        description="Visitor country (ISO code)",
    )


def custom(name, label, values, *, default, description, include_all=True, multi=True):
    options = (
        [{"text": "All", "value": "$__all", "selected": default == "$__all"}] if include_all else []
    )
    options += [{"text": v, "value": v, "selected": v == default} for v in values]
    current = next(o for o in options if o["selected"])
    variable = Variable(
        name=name,
        label=label,
        query=",".join(values),
        type="custom",
        multi=multi,
        includeAll=include_all,
        allValue=ALL if include_all else None,
        options=options,
        default=default,
        description=description,
    )
    variable._current = {"text": current["text"], "value": current["value"], "selected": True}
    return variable


def device() -> G.Template:
    return custom(
        "device",
        "Device",
        DEVICES,
        default="$__all",
        description="Device type of the visit's first page view",
    )


def channel() -> G.Template:
    return custom(
        "channel",
        "Channel",
        CHANNELS,
        default="$__all",
        description="Acquisition channel of the visit (its first page view)",
    )


def bots() -> G.Template:
    """The "include bots" switch: off by default, so figures are about people."""
    return custom(
        "bots",
        "Include bots",
        ["no", "yes"],
        default="no",
        include_all=False,
        multi=False,
        description="Count requests from bots and crawlers too",
    )


def textbox(name: str, label: str, description: str) -> G.Template:
    """Free text, empty by default: a filter that links from other dashboards set (`var-name=`
    in the URL). Filter as `(${name:sqlstring} = '' or column = ${name:sqlstring})`."""
    return Variable(
        name=name,
        label=label,
        query="",
        type="textbox",
        default="",
        multi=False,
        includeAll=False,
        description=description,
    )


EDGE_SQL = """
select distinct edge_location from edges_daily
where $__timeFilter(day) and {site}
order by 1
"""


def edge() -> G.Template:
    """CloudFront edge locations (POP codes) that served the chosen sites in the range."""
    return query_variable(
        "edge",
        "Edge location",
        EDGE_SQL.format(site=matches("site", "site")),
        description="CloudFront edge location (POP code) that served the request",
    )
