"""The provisioned alert rules: their shape, their thresholds from the settings, and their SQL
run as the read-only role on the sample traffic and on a database where they must fire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from numbers import Real
from pathlib import Path

import psycopg
import pytest
import yaml
from logfiles import request, write_requests

from grafana import alerting
from ingester.metrics.refresh import refresh
from ingester.roles import become_reader
from ingester.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]
PROVISIONED = ROOT / "grafana" / "provisioning" / "alerting" / "edgelog.yaml"
VIEWS = {p.stem for p in (ROOT / "sql_views").glob("*.sql")}
UIDS = ["edgelog-5xx-rate", "edgelog-cache-hit-ratio", "edgelog-ingest-lag",
        "edgelog-failed-objects"]  # fmt: skip


def _rules(settings=None) -> dict[str, dict]:
    (group,) = yaml.safe_load(alerting.rules_yaml(settings))["groups"]
    return {rule["uid"]: rule for rule in group["rules"]}


def _threshold(rule: dict) -> tuple[str, float]:
    (evaluator,) = [c["evaluator"] for c in rule["data"][2]["model"]["conditions"]]
    (value,) = evaluator["params"]
    return evaluator["type"], value


def _fires(rule: dict, value: float) -> bool:
    kind, threshold = _threshold(rule)
    return value > threshold if kind == "gt" else value < threshold


def _sql(rule: dict) -> str:
    return rule["data"][0]["model"]["rawSql"]


def _evaluate(url: str) -> dict[str, float]:
    """Each rule's query as Grafana's role runs it: one row holding one number."""
    values = {}
    with psycopg.connect(url, autocommit=True) as conn:
        become_reader(conn)
        conn.execute("set default_transaction_read_only = on")
        for uid, rule in _rules().items():
            rows = conn.execute(_sql(rule)).fetchall()
            assert len(rows) == 1 and len(rows[0]) == 1, uid
            assert isinstance(rows[0][0], Real), (uid, rows[0][0])
            values[uid] = float(rows[0][0])
    return values


def test_the_committed_file_holds_the_default_rules():
    assert PROVISIONED.read_text() == alerting.rules_yaml()
    assert alerting.rules_yaml() == alerting.rules_yaml(Settings.from_env({}))


def test_one_group_of_four_rules_in_grafanas_provisioning_format():
    document = yaml.safe_load(PROVISIONED.read_text())
    assert document["apiVersion"] == 1
    (group,) = document["groups"]
    assert (group["name"], group["folder"], group["interval"]) == ("edgelog", "edgelog", "5m")
    assert [rule["uid"] for rule in group["rules"]] == UIDS
    assert len({rule["title"] for rule in group["rules"]}) == 4
    for rule in group["rules"]:
        query, reduce, threshold = rule["data"]
        assert rule["condition"] == "C"
        assert (query["refId"], query["datasourceUid"]) == ("A", "edgelog")
        assert query["model"]["format"] == "table" and query["model"]["rawQuery"] is True
        assert query["model"]["refId"] == "A" and query["relativeTimeRange"]["from"] > 0
        assert reduce["datasourceUid"] == threshold["datasourceUid"] == "__expr__"
        assert (reduce["model"]["type"], reduce["model"]["expression"]) == ("reduce", "A")
        assert (threshold["model"]["type"], threshold["model"]["expression"]) == ("threshold", "B")
        assert (rule["noDataState"], rule["execErrState"], rule["for"]) == ("OK", "Error", "10m")
        assert rule["annotations"]["summary"] and len(rule["annotations"]["description"]) > 50


def test_rules_read_only_views_and_hold_no_dollar_sign():
    for uid, rule in _rules().items():
        sql = _sql(rule)
        # Grafana's provisioning would take a $ for an environment variable.
        assert "$" not in sql, uid
        relations = {w.split()[-1] for w in re.findall(r"\b(?:from|join)\s+\w+", sql)}
        assert relations <= VIEWS, (uid, relations - VIEWS)


def test_default_thresholds():
    thresholds = {uid: _threshold(rule) for uid, rule in _rules().items()}
    assert thresholds == {
        "edgelog-5xx-rate": ("gt", 0.05),
        "edgelog-cache-hit-ratio": ("lt", 0.5),
        "edgelog-ingest-lag": ("gt", 10800),
        "edgelog-failed-objects": ("gt", 0),  # at least one
    }


def test_thresholds_come_from_the_settings():
    settings = Settings.from_env(
        {
            "EDGELOG_ALERT_5XX_RATE": "0.2",
            "EDGELOG_ALERT_HIT_RATIO": "0.75",
            "EDGELOG_ALERT_INGEST_LAG": "3600",
            "EDGELOG_ALERT_FAILED_OBJECTS": "3",
        }
    )
    thresholds = {uid: _threshold(rule)[1] for uid, rule in _rules(settings).items()}
    assert thresholds == {
        "edgelog-5xx-rate": 0.2,
        "edgelog-cache-hit-ratio": 0.75,
        "edgelog-ingest-lag": 3600,
        "edgelog-failed-objects": 2,  # more than 2 is at least 3
    }
    assert (
        "EDGELOG_ALERT_5XX_RATE (0.2)"
        in _rules(settings)["edgelog-5xx-rate"]["annotations"]["description"]
    )


def test_a_rate_outside_zero_to_one_is_refused():
    with pytest.raises(SettingsError, match="EDGELOG_ALERT_5XX_RATE must be a fraction"):
        Settings.from_env({"EDGELOG_ALERT_5XX_RATE": "5%"})
    with pytest.raises(SettingsError, match="EDGELOG_ALERT_HIT_RATIO must be a fraction"):
        Settings.from_env({"EDGELOG_ALERT_HIT_RATIO": "1.5"})


def test_every_rule_runs_as_the_reader_on_the_sample(refreshed_sample_db):
    values = _evaluate(refreshed_sample_db)
    # The sample's traffic is months old (nothing in the last hours, a long lag), and one of
    # its objects cannot be read.
    assert values["edgelog-5xx-rate"] == 0 and values["edgelog-cache-hit-ratio"] == 1
    assert values["edgelog-ingest-lag"] > 86_400
    assert values["edgelog-failed-objects"] == 1
    rules = _rules()
    assert [uid for uid, value in values.items() if _fires(rules[uid], value)] == [
        "edgelog-ingest-lag",
        "edgelog-failed-objects",
    ]


def test_the_rules_fire_on_errors_misses_and_a_failed_object(tmp_path, ingest_logs, migrated_db):
    when = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")
    lines = [request(when, f"/ok{i}", result="Miss") for i in range(120)]
    lines += [request(when, f"/hit{i}", result="Hit") for i in range(40)]
    lines += [request(when, f"/down{i}", status=503, result="Error") for i in range(40)]
    ingest_logs(write_requests(tmp_path / "now.gz", lines))
    refresh(migrated_db)
    with psycopg.connect(migrated_db) as conn:
        conn.execute(
            "insert into ingest_ledger (source, key, status, lines_read, lines_loaded,"
            " lines_duplicate, lines_rejected, started_at, finished_at, error, attempts, retry_at)"
            " values ('s3://logs', 'cf/E2AB.2026-01-01-10.dddd.gz', 'failed', 0, 0, 0, 0,"
            " now(), now(), 'EOFError: truncated', 1, now() + interval '1 minute')"
        )
    values = _evaluate(migrated_db)
    assert values["edgelog-5xx-rate"] == pytest.approx(40 / 200)
    assert values["edgelog-cache-hit-ratio"] == pytest.approx(40 / 160)
    assert values["edgelog-ingest-lag"] < 3600
    assert values["edgelog-failed-objects"] == 1
    rules = _rules()
    assert {uid for uid, value in values.items() if _fires(rules[uid], value)} == {
        "edgelog-5xx-rate",
        "edgelog-cache-hit-ratio",
        "edgelog-failed-objects",
    }
