"""Dashboard JSON as Grafana keeps it: the one post-processing step after grafanalib.

grafanalib 0.7.1 writes the JSON of Grafana 5 (schemaVersion 12): rows, spans, Graphite and
Prometheus fields on SQL queries, options without the keys newer panels require. This keeps
only what Grafana's current dashboard schema knows, fills each panel's options with Grafana's
own defaults where grafanalib leaves them out, and sets the schema version.
"""

from __future__ import annotations

import json

from grafanalib._gen import DashboardEncoder

from grafana.house import SCHEMA_VERSION

DASHBOARD_KEYS = {
    "annotations",
    "description",
    "editable",
    "graphTooltip",
    "links",
    "panels",
    "refresh",
    "schemaVersion",
    "tags",
    "templating",
    "time",
    "timepicker",
    "timezone",
    "title",
    "uid",
    "version",
    "weekStart",
    "fiscalYearStartMonth",
    "liveNow",
}
PANEL_KEYS = {
    "datasource",
    "description",
    "fieldConfig",
    "gridPos",
    "id",
    "interval",
    "links",
    "maxDataPoints",
    "options",
    "targets",
    "timeFrom",
    "timeShift",
    "title",
    "transformations",
    "transparent",
    "type",
    "collapsed",
    "panels",
}
TARGET_KEYS = {"datasource", "format", "rawQuery", "rawSql", "refId"}
VARIABLE_KEYS = {
    "allValue",
    "current",
    "datasource",
    "definition",
    "description",
    "hide",
    "includeAll",
    "label",
    "multi",
    "name",
    "options",
    "query",
    "refresh",
    "regex",
    "skipUrlSync",
    "sort",
    "type",
}
# The options each panel type requires, with Grafana's defaults (from each plugin's schema).
LEGEND = {"showLegend": True, "displayMode": "list", "placement": "bottom", "calcs": []}
TOOLTIP = {"mode": "single", "sort": "none"}
REDUCE = {"calcs": ["lastNotNull"], "fields": "", "values": False}
OPTION_DEFAULTS = {
    "timeseries": {"legend": LEGEND, "tooltip": TOOLTIP},
    "stat": {
        "graphMode": "none",
        "colorMode": "value",
        "justifyMode": "auto",
        "textMode": "auto",
        "wideLayout": True,
        "showPercentChange": False,
        "reduceOptions": REDUCE,
        "percentChangeColorMode": "standard",
        "orientation": "auto",
    },
    "table": {"frameIndex": 0, "showHeader": True},
    "piechart": {
        "pieType": "pie",
        "tooltip": TOOLTIP,
        "reduceOptions": REDUCE,
        "legend": LEGEND,
        "orientation": "auto",
    },
    "barchart": {
        "orientation": "auto",
        "xTickLabelRotation": 0,
        "xTickLabelMaxLength": 0,
        "stacking": "none",
        "showValue": "auto",
        "barWidth": 0.97,
        "groupWidth": 0.7,
        "legend": LEGEND,
        "tooltip": TOOLTIP,
        "fullHighlight": False,
    },
    "nodeGraph": {},
    "geomap": {},
}


def dashboard_json(dashboard) -> dict:
    """The provisioned JSON of a grafanalib Dashboard."""
    raw = json.loads(json.dumps(dashboard.to_json_data(), cls=DashboardEncoder))
    data = {k: v for k, v in raw.items() if k in DASHBOARD_KEYS and v is not None}
    data["schemaVersion"] = SCHEMA_VERSION
    data["panels"] = _resolve_reuse([_panel(p) for p in raw["panels"]])
    data["templating"] = {"list": [_variable(v) for v in raw["templating"]["list"]]}
    data["timepicker"] = {"refresh_intervals": raw["timepicker"]["refresh_intervals"]}
    data["links"] = [
        {k: v for k, v in link.items() if v != ""}
        | {"tooltip": link["tooltip"], "icon": link["icon"]}
        for link in raw["links"]
    ]
    return data


def dumps(dashboard) -> str:
    """Stable text: sorted keys, so a re-run writes the same bytes."""
    return json.dumps(dashboard_json(dashboard), indent=2, sort_keys=True) + "\n"


def _panel(raw: dict) -> dict:
    panel = {k: v for k, v in raw.items() if k in PANEL_KEYS and v is not None}
    if panel["type"] == "row":
        panel.update(collapsed=False, panels=[_panel(p) for p in raw.get("panels", [])])
        return {k: panel[k] for k in ("collapsed", "gridPos", "id", "panels", "title", "type")}
    panel["targets"] = [_target(t) for t in raw.get("targets", [])]
    panel["options"] = _merged(OPTION_DEFAULTS.get(panel["type"], {}), raw.get("options", {}))
    panel["fieldConfig"] = _field_config(raw.get("fieldConfig", {}))
    if not panel.get("interval"):
        panel.pop("interval", None)
    return panel


def _target(raw: dict) -> dict:
    if "panelId" in raw:  # another panel's result (panels.results_of)
        return {k: raw[k] for k in ("datasource", "panelId", "refId")}
    target = {k: v for k, v in raw.items() if k in TARGET_KEYS}
    # Grafana's SQL editor opens a raw query in code mode.
    return target | {"editorMode": "code", "rawQuery": True}


def _resolve_reuse(panels: list[dict]) -> list[dict]:
    """Targets naming another panel by title ("@Title") get that panel's id."""
    ids = {p["title"]: p["id"] for p in panels}
    for panel in panels:
        for target in panel.get("targets", []):
            if str(target.get("panelId", "")).startswith("@"):
                target["panelId"] = ids[target["panelId"][1:]]
    return panels


def _field_config(raw: dict) -> dict:
    defaults = _without_nulls(raw.get("defaults", {}))
    thresholds = raw.get("defaults", {}).get("thresholds")
    if thresholds and isinstance(thresholds.get("steps"), list) and thresholds["steps"]:
        # The base step's value is null on purpose: it holds from minus infinity.
        defaults["thresholds"] = {
            "mode": thresholds.get("mode", "absolute"),
            "steps": [{"color": s["color"], "value": s.get("value")} for s in thresholds["steps"]],
        }
    else:
        defaults.pop("thresholds", None)
    return {"defaults": defaults, "overrides": raw.get("overrides", [])}


def _variable(raw: dict) -> dict:
    variable = {k: v for k, v in raw.items() if k in VARIABLE_KEYS and v is not None}
    current = {k: v for k, v in variable.get("current", {}).items() if k != "tags"}
    if current.get("value") is None:
        current = {}
    variable["current"] = current
    return variable


def _merged(defaults: dict, given: dict) -> dict:
    merged = dict(defaults)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        elif value is not None:
            merged[key] = value
    return merged


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
