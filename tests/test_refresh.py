"""`edgelog refresh`: what it records, what it leaves when it dies, and loads running meanwhile."""

import threading
import time
from datetime import date

import psycopg
import pytest
from logfiles import request, write_log, write_requests
from snapshots import view_rows
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics import views
from ingester.metrics.refresh import refresh


@pytest.fixture
def cli(migrated_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", migrated_db)
    return lambda *args: CliRunner().invoke(app, list(args))


def test_ingest_refreshes_the_views_at_the_end_of_a_run(tmp_path, cli, fetch):
    write_log(tmp_path / "a.gz", range(100))
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "refreshed: 1 days" in result.output
    assert fetch("select sum(pageviews) from traffic_daily where channel = '*'") == [(100,)]
    assert fetch("select count(*) from dirty_days") == [(0,)]


def test_ingest_with_no_refresh_leaves_the_days_dirty_for_a_later_refresh(tmp_path, cli, fetch):
    write_log(tmp_path / "a.gz", range(100))
    assert cli("ingest", "--no-refresh", str(tmp_path)).exit_code == 0
    assert fetch("select count(*) from traffic_daily") == [(0,)]
    assert fetch("select day from dirty_days") == [(date(2024, 5, 1),)]
    result = cli("refresh")
    assert result.exit_code == 0, result.output
    assert "refreshed: 1 days" in result.output
    assert fetch("select sum(pageviews) from traffic_daily where channel = '*'") == [(100,)]


def test_a_refresh_is_logged_with_its_days_views_rows_and_duration(
    tmp_path, ingest_logs, fetch, migrated_db
):
    refresh(migrated_db)  # nothing loaded yet
    write_log(tmp_path / "a.gz", range(10))
    ingest_logs(tmp_path)
    refresh(migrated_db)
    rows = fetch("select days, views, rows, duration_ms, full_rebuild from refresh_log order by id")
    assert rows[0][:3] == ([], [], 0)
    days, refreshed, written, duration, full = rows[1]
    assert (days, sorted(refreshed), full) == ([date(2024, 5, 1)], sorted(views.names()), False)
    assert written > 0 and duration >= 0


def test_a_full_refresh_of_one_view_rebuilds_its_rollups_alone(
    tmp_path, ingest_logs, migrated_db, fetch
):
    write_log(tmp_path / "a.gz", range(100))
    ingest_logs(tmp_path)
    refresh(migrated_db)
    pages = fetch("select * from pages_daily order by 1, 2, 3, 4, 5, 6")
    with psycopg.connect(migrated_db) as conn:  # as if its definition had changed
        conn.execute("delete from rollup_pages_daily")
        conn.execute("delete from rollup_traffic_daily")
    result = refresh(migrated_db, ["pages_daily"], full=True)
    assert result.views == ["pages_daily"]
    assert fetch("select * from pages_daily order by 1, 2, 3, 4, 5, 6") == pages
    assert fetch("select count(*) from traffic_daily") == [(0,)]  # not asked for


def test_refresh_names_views_only_with_full(cli):
    result = cli("refresh", "pages_daily")
    assert result.exit_code == 2
    assert "name views with --full" in result.output


def test_refresh_names_an_unknown_view_and_exits_2(cli):
    result = cli("refresh", "--full", "no_such_view")
    assert result.exit_code == 2
    assert "no such view: no_such_view" in result.output


def test_a_refresh_killed_half_way_leaves_nothing_and_the_next_one_completes(
    tmp_path, ingest_logs, migrated_db, fetch
):
    write_log(tmp_path / "a.gz", range(200))
    ingest_logs(tmp_path)
    # Hold a rollup the refresh writes late, so it is stuck half way; then kill its backend.
    blocker = psycopg.connect(migrated_db)
    blocker.execute("lock table rollup_audience_visitors_daily in access exclusive mode")
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
                "select pid from pg_locks"
                " where relation = 'rollup_audience_visitors_daily'::regclass and not granted"
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
    assert fetch("select sum(pageviews) from traffic_daily where channel = '*'") == [(200,)]


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
    incremental = view_rows(migrated_db)
    refresh(migrated_db, full=True)
    assert view_rows(migrated_db) == incremental
    assert refreshes >= 2
    total = sum(row[5] for row in incremental["traffic_daily"] if row[4] == "*")
    assert total == 40 * 24 * 8
