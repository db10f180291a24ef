"""`edgelog refresh`: what it records, what it leaves when it dies, and loads running meanwhile."""

import threading
import time
from datetime import date

import psycopg
import pytest
from logfiles import request, write_log, write_requests
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics import views
from ingester.metrics.refresh import refresh


def _snapshot(url: str) -> dict[str, list]:
    with psycopg.connect(url) as conn:
        return {
            name: conn.execute(f"select * from {name} order by {name}").fetchall()
            for name in views.names()
        }


@pytest.fixture
def cli(migrated_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", migrated_db)
    return lambda *args: CliRunner().invoke(app, list(args))


def test_ingest_refreshes_the_views_at_the_end_of_a_run(tmp_path, cli, fetch):
    write_log(tmp_path / "a.gz", range(100))
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "refreshed: 1 days" in result.output
    assert fetch("select sum(pageviews) from traffic_daily") == [(100,)]
    assert fetch("select count(*) from dirty_days") == [(0,)]


def test_ingest_with_no_refresh_leaves_the_days_dirty_for_a_later_refresh(tmp_path, cli, fetch):
    write_log(tmp_path / "a.gz", range(100))
    assert cli("ingest", "--no-refresh", str(tmp_path)).exit_code == 0
    assert fetch("select count(*) from traffic_daily") == [(0,)]
    assert fetch("select day from dirty_days") == [(date(2024, 5, 1),)]
    result = cli("refresh")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("refreshed: 1 days")
    assert fetch("select sum(pageviews) from traffic_daily") == [(100,)]


def test_a_refresh_is_logged_with_its_days_views_rows_and_duration(
    tmp_path, ingest_logs, fetch, migrated_db
):
    write_log(tmp_path / "a.gz", range(10))
    refresh(migrated_db, ["traffic_daily"])
    ((days, refreshed, rows, duration, full),) = fetch(
        "select days, views, rows, duration_ms, full_rebuild from refresh_log"
    )
    assert (days, refreshed, full) == ([], ["traffic_daily"], False)
    ingest_logs(tmp_path)
    refresh(migrated_db, ["traffic_daily"])
    days, refreshed, rows, duration = fetch(
        "select days, views, rows, duration_ms from refresh_log order by id desc limit 1"
    )[0]
    assert (len(days), refreshed) == (1, ["traffic_daily"])
    assert rows > 0 and duration >= 0
    stale = fetch("select view_name from view_state where stale order by 1")
    assert ("traffic_daily",) not in stale and ("pages_daily",) in stale
    refresh(migrated_db)  # the stale views follow, with no day to recompute
    assert fetch("select count(*) from view_state where stale") == [(0,)]


def test_refresh_names_an_unknown_view_and_exits_2(cli):
    result = cli("refresh", "no_such_view")
    assert result.exit_code == 2
    assert "no such view: no_such_view" in result.output


def test_a_refresh_killed_half_way_leaves_nothing_and_the_next_one_completes(
    tmp_path, ingest_logs, migrated_db, fetch
):
    write_log(tmp_path / "a.gz", range(200))
    ingest_logs(tmp_path)
    # Hold a rollup the refresh writes late, so it is stuck half way; then kill its backend.
    blocker = psycopg.connect(migrated_db)
    blocker.execute("lock table rollup_audience_daily in access exclusive mode")
    failure: list[BaseException] = []

    def run():
        try:
            refresh(migrated_db)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    with psycopg.connect(migrated_db, autocommit=True) as admin:
        for _ in range(100):
            waiting = admin.execute(
                "select pid from pg_locks where relation = 'rollup_audience_daily'::regclass"
                " and not granted"
            ).fetchall()
            if waiting:
                break
            time.sleep(0.1)
        assert waiting, "the refresh never reached the locked rollup"
        admin.execute("select pg_terminate_backend(%s)", [waiting[0][0]])
    thread.join(30)
    blocker.close()
    assert failure and isinstance(failure[0], psycopg.OperationalError)
    assert fetch("select count(*) from visits") == [(0,)]
    assert fetch("select count(*) from rollup_traffic_hourly") == [(0,)]
    assert fetch("select count(*) from dirty_days") == [(1,)]
    refresh(migrated_db)
    assert fetch("select sum(pageviews) from traffic_daily") == [(200,)]


def test_refreshing_while_an_ingest_runs_loses_and_doubles_nothing(
    tmp_path, ingest_logs, migrated_db
):
    days = [f"2024-05-{d:02d}" for d in range(1, 5)]
    for i in range(40):
        write_requests(tmp_path / f"{i:03d}.gz", [
            request(f"{days[i % 4]} {h:02d}:{i % 60:02d}:{v:02d}", f"/p{v}", ip=f"198.51.100.{v}")
            for h in range(24) for v in range(0, 50, 7)
        ])  # fmt: skip
    loading = threading.Thread(target=ingest_logs, args=(tmp_path,))
    loading.start()
    refreshes = 0
    while loading.is_alive():
        refresh(migrated_db)
        refreshes += 1
    loading.join()
    refresh(migrated_db)
    incremental = _snapshot(migrated_db)
    refresh(migrated_db, full=True)
    assert _snapshot(migrated_db) == incremental
    assert refreshes >= 2
    total = sum(row[5] for row in incremental["traffic_daily"])
    assert total == 40 * 24 * 8
