"""Panel builders in house style, and the panels grafanalib 0.7 lacks (Geomap, Node graph).

Every builder takes the panel's SQL (from grafana/queries/), a description that states the
exact definition of what it shows, and where it sits on the grid (x, y, w, h).
"""

from __future__ import annotations

import attr
from grafanalib import core as G

from grafana.house import DATASOURCE

# Grafana's formats for a query's result: a time series needs a `time` column in order.
TIME_SERIES = "time_series"
TABLE = "table"


def target(sql: str, fmt: str = TABLE, ref: str = "A") -> G.SqlTarget:
    return G.SqlTarget(rawSql=sql.strip(), format=fmt, refId=ref, datasource=DATASOURCE)


def _place(x: int, y: int, w: int, h: int) -> G.GridPos:
    return G.GridPos(h=h, w=w, x=x, y=y)


def _defaults(unit: str, decimals: int | None = None, no_value: str | None = None) -> dict:
    defaults = {"unit": unit}
    if decimals is not None:
        defaults["decimals"] = decimals
    if no_value is not None:
        defaults["noValue"] = no_value
    return defaults


def stat(title, sql, *, description, at, unit="short", decimals=None, thresholds=None, links=()):
    """One figure: the query returns one row. Its other columns are shown beside it with
    their names (such as a change against the previous period, as text)."""
    return G.Stat(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(sql)],
        gridPos=_place(*at),
        format=unit,
        decimals=decimals,
        graphMode="none",
        reduceCalc="lastNotNull",
        links=list(links),
        extraJson={
            "fieldConfig": {
                "defaults": {
                    **_defaults(unit, decimals, "0"),
                    "thresholds": steps(*(thresholds or ["blue"])),
                }
            },
            "options": {
                "textMode": "value_and_name",
                "showPercentChange": False,
                "reduceOptions": {"calcs": ["lastNotNull"], "fields": "/.*/", "values": False},
            },
        },
    )


def timeseries(
    title, sql, *, description, at, unit="short", stacked=False, interval="1h", bars=False
):
    """Values over time: the query returns `time` ascending, then one column per series
    (or `time, metric, value` rows, which Grafana turns into one series per metric)."""
    custom = {
        "drawStyle": "bars" if bars else "line",
        "fillOpacity": 20 if stacked else 10,
        "stacking": {"mode": "normal" if stacked else "none", "group": "A"},
        "showPoints": "never",
        "spanNulls": False,
    }
    return G.TimeSeries(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(sql, TIME_SERIES)],
        gridPos=_place(*at),
        unit=unit,
        interval=interval,
        maxDataPoints=500,
        legendDisplayMode="list",
        legendPlacement="bottom",
        tooltipMode="multi",
        extraJson={"fieldConfig": {"defaults": {"custom": custom, "min": 0}}},
    )


# Grafana's own datasource that hands a panel the result of another panel's query.
DASHBOARD_DATASOURCE = {"type": "datasource", "uid": "-- Dashboard --"}


def results_of(panel_title: str) -> dict:
    """A target that reuses the query result of the dashboard's panel titled `panel_title`
    (render.py puts in its id): a table beside a map of the same figures costs no query."""
    return {"datasource": DASHBOARD_DATASOURCE, "panelId": f"@{panel_title}", "refId": "A"}


def table(
    title, sql, *, description, at, unit="short", links=(), columns=None, hidden=(), same_as=None
):
    """Rows as they come, in the query's order, every number in `unit` (a column in another
    unit says it in its name: Grafana's schema allows no per-column override here). `links`
    open from any cell (see `link`). With `same_as` (a panel's title), the table shows that
    panel's query result instead of running `sql`; `columns` renames result columns for it
    and `hidden` leaves some out."""
    organize = {"excludeByName": dict.fromkeys(hidden, True), "renameByName": columns or {}}
    return G.Table(
        title=title,
        description=description,
        dataSource=DASHBOARD_DATASOURCE if same_as else DATASOURCE,
        targets=[results_of(same_as) if same_as else target(sql)],
        gridPos=_place(*at),
        transformations=[{"id": "organize", "options": organize}] if columns or hidden else [],
        extraJson={
            "fieldConfig": {
                "defaults": {
                    "unit": unit,
                    "links": list(links),
                    "custom": {"align": "auto", "inspect": False},
                }
            },
            "options": {"cellHeight": "sm", "showHeader": True},
        },
    )


def bars(title, sql, *, description, at, unit="short", horizontal=True):
    """Categories and their values: the query returns a label column, then value columns."""
    return G.BarChart(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(sql)],
        gridPos=_place(*at),
        orientation="horizontal" if horizontal else "vertical",
        showValue="auto",
        extraJson={"fieldConfig": {"defaults": {"unit": unit, "min": 0}}},
    )


def pie(title, sql, *, description, at, unit="short"):
    """Shares of a whole: the query returns one row, one column per slice."""
    return G.PieChartv2(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(sql)],
        gridPos=_place(*at),
        pieType="donut",
        unit=unit,
        reduceOptionsCalcs=["lastNotNull"],
        reduceOptionsValues=True,
        legendDisplayMode="table",
        legendPlacement="right",
        legendValues=["value", "percent"],
    )


def link(
    title: str, dashboard_uid: str, variable: str, column: str, keep: tuple[str, ...] = ("site",)
) -> dict:
    """A drill-down from a table row: opens another dashboard on this range and the filters
    `keep` (variables both dashboards have), with `variable` set to the row's `column` (in the
    shape the schema gives a link)."""
    value = f'${{__data.fields["{column}"]:percentencode}}'
    kept = "".join(f"&${{{name}:queryparam}}" for name in keep if name != variable)
    return {
        "title": title,
        "type": "link",
        "url": f"/d/{dashboard_uid}/?${{__url_time_range}}{kept}&var-{variable}={value}",
        "icon": "dashboard",
        "tooltip": title,
        "tags": [],
        "asDropdown": False,
        "targetBlank": False,
        "includeVars": False,
        "keepTime": False,
    }


def steps(base: str, *above: tuple[float, str]) -> dict:
    """Threshold colours: `base` below the first value, then each (value, colour) from it up."""
    return {
        "mode": "absolute",
        "steps": [{"color": base, "value": None}]
        + [{"color": colour, "value": value} for value, colour in above],
    }


def _override(column: str, properties: list[dict]) -> dict:
    return {"matcher": {"id": "byName", "options": column}, "properties": properties}


@attr.s
class Geomap(G.Panel):
    """Grafana's Geomap: markers sized by `value_column`, placed by ISO country code
    (`country_code`) or by `latitude`/`longitude` columns."""

    value_column = attr.ib(default="visitors")
    by_country = attr.ib(default=True)
    unit = attr.ib(default="short")
    # Drill-down links (see `link`), opened from a marker's tooltip.
    data_links = attr.ib(default=attr.Factory(list))

    def to_json_data(self):
        location = (
            {
                "mode": "lookup",
                "lookup": "country_code",
                "gazetteer": "public/gazetteer/countries.json",
            }
            if self.by_country
            else {"mode": "coords", "latitude": "latitude", "longitude": "longitude"}
        )
        size = {"field": self.value_column, "fixed": 5, "min": 4, "max": 30}
        layer = {
            "type": "markers",
            "name": self.title,
            "location": location,
            "config": {
                "showLegend": True,
                "style": {"size": size, "color": {"fixed": "blue"}, "opacity": 0.6},
            },
            "tooltip": True,
        }
        return self.panel_json(
            {
                "type": "geomap",
                "fieldConfig": {
                    # Only when there are links, so maps without them keep their JSON.
                    "defaults": {"unit": self.unit}
                    | ({"links": list(self.data_links)} if self.data_links else {}),
                    "overrides": [],
                },
                "options": {
                    "view": {"id": "zero", "lat": 20, "lon": 0, "zoom": 1},
                    "controls": {
                        "showZoom": True,
                        "mouseWheelZoom": False,
                        "showAttribution": True,
                    },
                    "basemap": {"type": "default", "name": "Basemap"},
                    "layers": [layer],
                    "tooltip": {"mode": "details"},
                },
            }
        )


def geomap(
    title, sql, *, description, at, value="visitors", by_country=True, unit="short", links=()
):
    return Geomap(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(sql)],
        gridPos=_place(*at),
        value_column=value,
        by_country=by_country,
        unit=unit,
        data_links=list(links),
    )


@attr.s
class NodeGraph(G.Panel):
    """Grafana's Node graph: query A returns nodes (`id`, `title`, `mainstat`), query B edges
    (`id`, `source`, `target`, `mainstat`)."""

    def to_json_data(self):
        return self.panel_json(
            {
                "type": "nodeGraph",
                "options": {
                    "nodes": {"mainStatUnit": "short"},
                    "edges": {"mainStatUnit": "short"},
                    "zoomMode": "cooperative",
                },
            }
        )


def node_graph(title, nodes_sql, edges_sql, *, description, at):
    return NodeGraph(
        title=title,
        description=description,
        dataSource=DATASOURCE,
        targets=[target(nodes_sql, ref="nodes"), target(edges_sql, ref="edges")],
        gridPos=_place(*at),
    )


def row(title: str, y: int) -> G.RowPanel:
    return G.RowPanel(title=title, gridPos=_place(0, y, 24, 1))
