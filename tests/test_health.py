"""`edgelog health`: 0 while the service polls and refreshes, 1 with the reason otherwise."""

import socket

import psycopg
from logfiles import write_log
from typer.testing import CliRunner

from ingester.cli import app
from ingester.service import poll
from ingester.settings import Settings

runner = CliRunner()


def health(url: str, source: str, **extra: str):
    env = {"DATABASE_URL": url, "EDGELOG_SOURCE": source, **extra}
    return runner.invoke(app, ["health"], env=env)


def test_health_is_0_after_a_successful_poll(tmp_path, migrated_db):
    write_log(tmp_path / "a.gz", range(5))
    poll(Settings.from_env({"EDGELOG_SOURCE": str(tmp_path), "EDGELOG_WORKERS": "1"}), migrated_db)
    result = health(migrated_db, str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "healthy"


def test_health_turns_1_when_polls_stop_succeeding(tmp_path, migrated_db):
    with psycopg.connect(migrated_db) as conn:
        conn.execute(
            "insert into poll_log (source, started_at, finished_at, outcome, backfill) values"
            " (%s, now() - interval '2 hours', now() - interval '2 hours', 'ok', true),"
            " (%s, now() - interval '1 minute', now(), 'failed', false)",
            [str(tmp_path), str(tmp_path)],
        )
    assert health(migrated_db, str(tmp_path), EDGELOG_HEALTH_POLL_AGE="9000").exit_code == 0
    result = health(migrated_db, str(tmp_path), EDGELOG_HEALTH_POLL_AGE="600")
    assert result.exit_code == 1
    assert "unhealthy: the last successful poll was at" in result.output


def test_health_is_1_when_no_poll_ever_succeeded(tmp_path, migrated_db):
    with psycopg.connect(migrated_db) as conn:
        conn.execute(
            "insert into poll_log (source, started_at, finished_at, outcome, backfill, error)"
            " values (%s, now() - interval '1 hour', now(), 'failed', true, 'AccessDenied')",
            [str(tmp_path)],
        )
    result = health(migrated_db, str(tmp_path), EDGELOG_HEALTH_POLL_AGE="600")
    assert result.exit_code == 1
    assert "no poll has succeeded yet" in result.output


def test_health_is_1_when_loaded_days_wait_too_long_for_a_refresh(tmp_path, migrated_db):
    with psycopg.connect(migrated_db) as conn:
        conn.execute(
            "insert into refresh_log (started_at, finished_at, full_rebuild, days, views, rows,"
            " duration_ms) values (now() - interval '3 hours', now() - interval '3 hours',"
            " false, '{}', '{}', 0, 0)"
        )
        conn.execute("insert into dirty_days (day) values ('2026-11-30')")
    assert health(migrated_db, "").exit_code == 1
    assert health(migrated_db, "", EDGELOG_HEALTH_REFRESH_AGE="20000").exit_code == 0


def test_health_is_1_when_the_database_is_unreachable():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = health(f"postgresql://edgelog:x@127.0.0.1:{port}/edgelog", "")
    assert result.exit_code == 1
    assert "unhealthy: database unreachable" in result.output
