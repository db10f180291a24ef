"""The provisioned dashboards, proven without Grafana.

Each dashboard's JSON validates against Grafana's schemas; every panel's and variable's SQL is
expanded as Grafana expands it (variables, then macros) and run as the read-only role on two
weeks of sample traffic, for All, one value, several values, a value holding a quote and an
empty selection, and returns the shape its panel needs.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import jsonschema
import psycopg
import pytest
from conftest import SAMPLE_END
from grafana_expansion import ALL, expand, interval_for

from grafana import build
from ingester.roles import become_reader

ROOT = Path(__file__).resolve().parents[1]
PROVISIONED = ROOT / "grafana" / "provisioning" / "dashboards"
SCHEMAS = Path(__file__).resolve().parent / "data" / "schemas" / "grafana"
VIEWS = {p.stem for p in (ROOT / "sql_views").glob("*.sql")}
DATASOURCE = {"type": "grafana-postgresql-datasource", "uid": "edgelog"}
DASHBOARD = {"type": "datasource", "uid": "-- Dashboard --"}
END = datetime(SAMPLE_END.year, SAMPLE_END.month, SAMPLE_END.day, tzinfo=UTC) + timedelta(days=1)
RANGES = {"7 days": (END - timedelta(days=7), END), "30 days": (END - timedelta(days=30), END)}
# Pipeline health's views are stamped with when the pipeline did the work (the test's own
# load), not with when the requests were made: its ranges end now.
NOW = datetime.now(UTC)
LOAD_TIME_RANGES = {
    "7 days": (NOW - timedelta(days=7), NOW),
    "30 days": (NOW - timedelta(days=30), NOW),
}
EMPTY_RANGE = (END + timedelta(days=300), END + timedelta(days=307))
NAMES = sorted(p.stem for p in PROVISIONED.glob("*.json"))


@cache
def dashboards() -> dict[str, dict]:
    return {name: json.loads((PROVISIONED / f"{name}.json").read_text()) for name in NAMES}


def panels(board: dict):
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])


def queries(board: dict):
    """(panel, target) of every query of the dashboard; a panel that shows another panel's
    result (Grafana's Dashboard datasource) comes with that panel's target."""
    by_id = {p["id"]: p for p in panels(board)}
    for panel in panels(board):
        for target in panel.get("targets", []):
            if "panelId" in target:
                target = by_id[target["panelId"]]["targets"][0]
            yield panel, target


def test_the_committed_files_are_what_make_dashboards_writes():
    assert build.stale() == [], "run `make dashboards` and commit the result"


def test_building_twice_gives_the_same_bytes():
    assert build.generated() == build.generated()


def test_there_are_the_nine_dashboards():
    assert sorted(
        ["overview", "pages", "acquisition", "audience", "engagement", "cdn_performance",
         "errors", "bots", "pipeline_health"]
    ) == NAMES  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_the_dashboard_validates_against_grafanas_schema(name):
    schema = json.loads((SCHEMAS / "dashboard.jsonschema.json").read_text())
    jsonschema.Draft7Validator(schema).validate(dashboards()[name])


@pytest.mark.parametrize("name", NAMES)
def test_each_panels_options_and_field_config_validate_against_its_plugin(name):
    for panel in panels(dashboards()[name]):
        if panel["type"] == "row":
            continue
        plugin = json.loads((SCHEMAS / f"{panel['type'].lower()}.jsonschema.json").read_text())
        definitions = plugin["definitions"]
        options = {"$ref": "#/definitions/Options", "definitions": definitions}
        jsonschema.Draft7Validator(options).validate(panel["options"])
        custom = panel["fieldConfig"]["defaults"].get("custom")
        if custom is not None and "FieldConfig" in definitions:
            field = {"$ref": "#/definitions/FieldConfig", "definitions": definitions}
            jsonschema.Draft7Validator(field).validate(custom)


def test_uids_are_the_file_names_and_unique():
    uids = {name: board["uid"] for name, board in dashboards().items()}
    assert uids == {name: f"edgelog-{name.replace('_', '-')}" for name in NAMES}


def test_panel_ids_are_unique_within_a_dashboard():
    for board in dashboards().values():
        ids = [p["id"] for p in panels(board)]
        assert len(ids) == len(set(ids))


def test_every_panel_and_variable_reads_the_provisioned_datasource():
    provisioned = (ROOT / "grafana" / "provisioning" / "datasources" / "edgelog.yaml").read_text()
    assert "uid: edgelog" in provisioned and "type: grafana-postgresql-datasource" in provisioned
    for board in dashboards().values():
        by_id = {p["id"]: p for p in panels(board)}
        for panel in panels(board):
            for target in panel.get("targets", []):
                if "panelId" in target:  # another panel's result, which reads edgelog
                    assert panel["datasource"] == target["datasource"] == DASHBOARD
                    assert by_id[target["panelId"]]["datasource"] == DATASOURCE
                else:
                    assert panel["datasource"] == target["datasource"] == DATASOURCE
        for variable in board["templating"]["list"]:
            if variable["type"] == "query":
                assert variable["datasource"] == DATASOURCE


def test_every_panel_says_what_it_measures():
    for board in dashboards().values():
        for panel in panels(board):
            if panel["type"] != "row":
                assert len(panel.get("description", "")) > 20, panel["title"]


def test_no_grafanalib_leftovers_in_the_json():
    for name in NAMES:
        text = (PROVISIONED / f"{name}.json").read_text()
        for leftover in ('"expr"', '"intervalFactor"', '"span"', '"legendFormat"', '"step"',
                         '"rows"', '"sharedCrosshair"'):  # fmt: skip
            assert leftover not in text, (name, leftover)
        assert dashboards()[name]["schemaVersion"] == 42


def _relations(sql: str) -> set[str]:
    """Names read after from/join that are not the query's own CTEs or functions."""
    sql = re.sub(r"--[^\n]*", "", sql)  # nor in comments
    sql = re.sub(r"'[^']*'|\"[^\"]*\"", "''", sql)  # no names inside strings or column labels
    ctes = set(re.findall(r"(\w+)\s+as\s+(?:materialized\s+)?\(", sql, re.I))
    names = set(re.findall(r"\b(?:from|join)\s+([a-z_][\w.]*)\b(?!\s*\()", sql, re.I))
    return {n.lower() for n in names} - {c.lower() for c in ctes}


def _all_sql() -> list[str]:
    sql = [t["rawSql"] for board in dashboards().values() for _, t in queries(board)]
    sql += [v["query"] for board in dashboards().values()
            for v in board["templating"]["list"] if v["type"] == "query"]  # fmt: skip
    return sql


def test_panels_read_only_views_that_exist():
    for sql in _all_sql():
        assert _relations(sql) <= VIEWS, _relations(sql) - VIEWS


def test_every_view_is_shown_by_some_panel():
    used = set().union(*(_relations(sql) for sql in _all_sql()))
    assert VIEWS - used == set()


# --- every query against a populated database, as the read-only role ------------------------

SELECTIONS = ["all", "all with bots", "one", "several", "quote", "empty"]


def _reader(url: str) -> psycopg.Connection:
    conn = psycopg.connect(url, autocommit=True)
    become_reader(conn)
    conn.execute("set default_transaction_read_only = on")
    return conn


def _run(conn, sql, board, selections, time_range, panel=None):
    time_from, time_to = time_range
    # SQL datasources never go below 1m unless a panel says otherwise.
    min_interval = (panel or {}).get("interval") or "1m"
    interval = interval_for(
        time_from, time_to, (panel or {}).get("maxDataPoints", 500), min_interval
    )
    expanded = expand(
        sql,
        variables=board["templating"]["list"],
        selections=selections,
        time_from=time_from,
        time_to=time_to,
        interval=interval,
    )
    try:
        cur = conn.execute(expanded)
    except psycopg.Error as exc:
        raise AssertionError(f"{board['title']}: {exc}\n{expanded}") from exc
    columns = [c.name for c in cur.description]
    return columns, cur.fetchall()


def _options(conn, board) -> dict[str, list[str]]:
    """Each variable's values, as Grafana lists them for the dashboard's default range."""
    values = {}
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            _, rows = _run(conn, variable["query"], board, {}, RANGES["7 days"])
            values[variable["name"]] = [r[0] for r in rows]
        elif variable["type"] == "custom":
            values[variable["name"]] = [o["value"] for o in variable["options"]
                                        if o["value"] != "$__all"]  # fmt: skip
    return values


def _selections(kind: str, board: dict, options: dict) -> dict:
    chosen = {}
    for variable in board["templating"]["list"]:
        name, values = variable["name"], options.get(variable["name"], [])
        if variable["type"] == "textbox":
            # A textbox is single-valued and lists no options: one value is a path every
            # sample site has (the home page).
            chosen[name] = {"quote": "/it's", "one": (values or ["/"])[0]}.get(kind, "")
            continue
        if not variable.get("multi"):  # the bots switch: on for "all with bots" only
            chosen[name] = "yes" if kind == "all with bots" else variable["current"]["value"]
            continue
        chosen[name] = {"all": ALL, "all with bots": ALL, "one": values[:1],
                        "several": values[:2], "quote": ["it's", "o'brien"],
                        "empty": []}[kind]  # fmt: skip
    return chosen


def _check_shape(panel, target, columns, rows):
    title = panel["title"]
    if target.get("format") == "time_series":
        assert "time" in columns, title
        times = [r[columns.index("time")] for r in rows]
        assert times == sorted(times), f"{title}: time not ascending"
    if panel["type"] == "stat":
        assert len(rows) == 1, f"{title}: a stat needs one row, got {len(rows)}"
    if panel["type"] == "geomap":
        assert "country_code" in columns or {"latitude", "longitude"} <= set(columns), title
        if "country_code" in columns:
            assert all(re.fullmatch(r"[A-Z]{2}", r[columns.index("country_code")]) for r in rows)
    if panel["type"] == "nodeGraph":
        needed = {"id", "source", "target"} if target["refId"] == "edges" else {"id"}
        assert needed <= set(columns), title


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", SELECTIONS)
def test_every_query_runs_as_the_reader_and_has_its_panels_shape(name, kind, refreshed_sample_db):
    board = dashboards()[name]
    with _reader(refreshed_sample_db) as conn:
        selections = _selections(kind, board, _options(conn, board))
        ranges = LOAD_TIME_RANGES if name == "pipeline_health" else RANGES
        for label, time_range in ranges.items():
            for panel, target in queries(board):
                columns, rows = _run(conn, target["rawSql"], board, selections, time_range, panel)
                _check_shape(panel, target, columns, rows)
                if kind.startswith("all"):
                    assert rows, f"{name}/{panel['title']} ({label}): no rows on sample data"


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_range_shows_zeros_not_errors(name, refreshed_sample_db):
    board = dashboards()[name]
    with _reader(refreshed_sample_db) as conn:
        for panel, target in queries(board):
            _columns, rows = _run(conn, target["rawSql"], board, {}, EMPTY_RANGE, panel)
            if panel["type"] == "stat":
                # The figure itself is 0; only a change against nothing may be empty.
                assert len(rows) == 1 and rows[0][0] is not None, panel["title"]


@pytest.mark.parametrize("name", NAMES)
def test_every_variable_lists_values_on_sample_data(name, refreshed_sample_db):
    board = dashboards()[name]
    with _reader(refreshed_sample_db) as conn:
        for variable, values in _options(conn, board).items():
            assert values, variable


def test_the_grafana_readme_lists_every_dashboard_and_its_panels():
    readme = (ROOT / "grafana" / "README.md").read_text()
    sections = re.split(r"^## ", readme, flags=re.MULTILINE)
    for board in dashboards().values():
        title = board["title"].removeprefix("edgelog · ")
        section = next((s for s in sections if s.startswith(title)), None)
        assert section is not None, title
        for panel in panels(board):
            if panel["type"] != "row":
                assert f"**{panel['title']}**" in section, (title, panel["title"])


# Variables whose options are every value the views hold: choosing them all is All.
EXPLICIT = ("site", "device", "channel", "edge")


def _rounded(rows) -> list:
    """Rows comparable across summing orders (floats to 9 significant digits)."""
    return sorted(
        (tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row) for row in rows),
        key=repr,
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bots", ["no", "yes"])
def test_choosing_every_option_gives_what_all_gives(name, bots, refreshed_sample_db):
    """No '*' row counted with the rows it sums, no filter ignored, bots kept with a device."""
    board = dashboards()[name]
    names = {v["name"] for v in board["templating"]["list"]}
    with _reader(refreshed_sample_db) as conn:
        options = _options(conn, board)
        every = {"bots": bots} if "bots" in names else {}
        every |= {v: options[v] for v in EXPLICIT if v in names}
        each = {**every, **{v: ALL for v in EXPLICIT if v in names}}
        for panel, target in queries(board):
            _, all_rows = _run(conn, target["rawSql"], board, each, RANGES["7 days"], panel)
            _, every_rows = _run(conn, target["rawSql"], board, every, RANGES["7 days"], panel)
            assert _rounded(every_rows) == _rounded(all_rows), panel["title"]


def test_drill_down_links_keep_the_range_and_the_filters_both_dashboards_have():
    variables = {
        board["uid"]: {v["name"] for v in board["templating"]["list"]}
        for board in dashboards().values()
    }
    links = 0
    for board in dashboards().values():
        text = json.dumps(board["panels"])
        for uid, query in re.findall(r'"url": "/d/([\w-]+)/\?([^"]*)"', text):
            links += 1
            assert uid in variables and "${__url_time_range}" in query
            target = re.search(r"var-(\w+)=", query).group(1)
            for shared in (variables[board["uid"]] & variables[uid]) - {target}:
                assert f"${{{shared}:queryparam}}" in query, (board["uid"], uid, shared)
    assert links >= 6
