"""`edgelog status`: the service's state, its last poll, lag, failures, quarantine, freshness."""

import gzip
import json
import threading

from logfiles import HEADER, line, write_log
from typer.testing import CliRunner

from ingester.cli import app
from ingester.service import ServiceLock, poll
from ingester.settings import Settings

runner = CliRunner()


def status(url: str, *options: str):
    return runner.invoke(app, ["status", *options], env={"DATABASE_URL": url})


def test_status_tells_the_last_poll_lag_failures_quarantine_and_freshness(tmp_path, migrated_db):
    write_log(tmp_path / "good.gz", range(20), day="2026-11-30")
    bad_line = HEADER + line(99, "2026-11-30") + "\nnot a log line\n"
    (tmp_path / "quarantine.gz").write_bytes(gzip.compress(bad_line.encode()))
    (tmp_path / "corrupt.gz").write_bytes(gzip.compress(bad_line.encode() * 50)[:60])
    poll(Settings.from_env({"EDGELOG_SOURCE": str(tmp_path), "EDGELOG_WORKERS": "1"}), migrated_db)

    result = status(migrated_db, "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["state"] == "not running"
    assert shown["last_poll"]["outcome"] == "ok"
    assert shown["last_poll"]["objects_loaded"] == 2
    assert shown["last_poll"]["objects_failed"] == 1
    assert shown["newest_request"].startswith("2026-11-30T00:01:39")
    assert shown["ingest_lag_seconds"] > 0
    [failed] = shown["failed"]
    assert failed["key"].endswith("corrupt.gz") and failed["error"]
    assert sum(shown["quarantined"].values()) == 1
    assert shown["days_waiting"] == 0
    assert shown["views"]["traffic_daily"] is not None

    text = status(migrated_db).output
    assert "service: not running" in text
    assert "last backfill:" in text and "ok (2 objects loaded, 1 failed)" in text
    assert "corrupt.gz" in text
    assert "ingest lag:" in text
    assert "traffic_daily:" in text


def test_status_shows_the_active_service_and_one_standing_by(migrated_db):
    active, standby = ServiceLock(migrated_db), ServiceLock(migrated_db)
    active.wait()
    waiting = threading.Thread(target=standby.wait)
    waiting.start()
    try:
        for _ in range(50):
            shown = json.loads(status(migrated_db, "--json").stdout)
            if len(shown["instances"]) == 2:
                break
            threading.Event().wait(0.1)
        assert shown["state"] == "active"
        assert [i["role"] for i in shown["instances"]] == ["active", "standby"]
        assert shown["instances"][0]["name"].startswith("edgelog serve on ")
    finally:
        active.close()
        waiting.join(timeout=10)
        standby.close()
    assert json.loads(status(migrated_db, "--json").stdout)["state"] == "not running"
