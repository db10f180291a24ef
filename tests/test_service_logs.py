"""Logs: one line per event, JSON with EDGELOG_LOG_FORMAT=json, never an address or a secret."""

import json
import os
import subprocess
import sys

from logfiles import request, write_requests


def run_ingest(url: str, logs, log_format: str) -> list[str]:
    env = {**os.environ, "DATABASE_URL": url, "EDGELOG_WORKERS": "2",
           "EDGELOG_LOG_FORMAT": log_format, "EDGELOG_GEOIP_DB": ""}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "ingester", "ingest", str(logs)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def write_private_logs(tmp_path):
    for n in range(3):
        write_requests(tmp_path / f"{n}.gz", [
            request(f"2026-11-02 10:0{n}:00", "/login", ip="203.0.113.77",
                    query="token=s3cr3t-t0ken&utm_source=news"),
            "2026-11-02\tgarbage from 203.0.113.78 with cookie=abc123",
        ])  # fmt: skip


def test_json_logs_are_one_object_per_line_and_hold_no_address_or_secret(tmp_path, migrated_db):
    write_private_logs(tmp_path)
    lines = run_ingest(migrated_db, tmp_path, "json")
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(events[0])
    geoip = [e for e in events if "No GeoIP database" in e["message"]]
    assert len(geoip) == 1
    text = "\n".join(lines)
    for private in ("203.0.113.7", "s3cr3t", "token=", "abc123", "utm_source"):
        assert private not in text


def test_text_logs_say_the_geoip_warning_once(tmp_path, migrated_db):
    write_private_logs(tmp_path)
    lines = run_ingest(migrated_db, tmp_path, "text")
    assert sum("No GeoIP database" in line for line in lines) == 1
    assert not any("203.0.113.7" in line or "s3cr3t" in line for line in lines)
