"""House style: what every edgelog dashboard shares, in one place.

A dashboard module only says what it shows; the look, the datasource, the uid, the time zone,
the default range and the links between dashboards come from here.
"""

from __future__ import annotations

from pathlib import Path

from grafanalib import core as G

# The datasource that grafana/provisioning/datasources/edgelog.yaml provisions.
DATASOURCE = {"type": "grafana-postgresql-datasource", "uid": "edgelog"}

# The newest dashboard schema of Grafana's migrations (Grafana 12 and 13, the release that
# docker-compose.yml pins): Grafana loads the JSON as it is, with no migration to run.
SCHEMA_VERSION = 42

TAG = "edgelog"
# Times are stored in UTC; Grafana shows them in the viewer's time zone.
TIMEZONE = "browser"
REFRESH = "5m"
DEFAULT_RANGE = G.Time("now-7d", "now")
REFRESH_INTERVALS = ["1m", "5m", "15m", "1h"]


def uid(module_file: str) -> str:
    """A dashboard's uid is its file name: stable across renames of its title."""
    return f"edgelog-{Path(module_file).stem.replace('_', '-')}"


def dashboard(
    module_file: str,
    *,
    title: str,
    description: str,
    panels: list,
    variables: list,
) -> G.Dashboard:
    return G.Dashboard(
        title=f"edgelog · {title}",
        uid=uid(module_file),
        description=description,
        tags=[TAG],
        timezone=TIMEZONE,
        refresh=REFRESH,
        time=DEFAULT_RANGE,
        timePicker=G.TimePicker(refreshIntervals=REFRESH_INTERVALS, timeOptions=[]),
        editable=False,
        graphTooltip=G.GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        templating=G.Templating(list=variables),
        links=[_all_dashboards()],
        panels=panels,
    ).auto_panel_ids()


def _all_dashboards() -> G.DashboardLink:
    """Every edgelog dashboard, one click away, keeping the time range and the filters."""
    return G.DashboardLink(
        title="edgelog",
        type="dashboards",
        tags=[TAG],
        asDropdown=True,
        keepTime=True,
        includeVars=True,
    )
