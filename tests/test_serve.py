"""`edgelog serve`: polls its source, keeps days for the retention period, stops on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from datetime import date

import psycopg
from logfiles import write_log

from ingester.metrics.refresh import refresh
from ingester.service import ServiceLock, apply_retention
from ingester.settings import Settings


def pageviews(url: str) -> int:
    """Page views in the metric views: what the refresh after each poll has counted."""
    with psycopg.connect(url) as conn:
        exists = conn.execute("select to_regclass('traffic_daily') is not null").fetchone()[0]
        if not exists:
            return 0
        return conn.execute(
            "select coalesce(sum(pageviews), 0) from traffic_daily where channel = '*'"
        ).fetchone()[0]


def count(url: str) -> int:
    with psycopg.connect(url) as conn:
        exists = conn.execute("select to_regclass('requests') is not null").fetchone()[0]
        return conn.execute("select count(*) from requests").fetchone()[0] if exists else 0


def test_serve_migrates_loads_its_source_and_stops_cleanly_on_sigterm(tmp_path, empty_db):
    write_log(tmp_path / "a.gz", range(50))
    env = {
        **os.environ,
        "DATABASE_URL": empty_db,
        "EDGELOG_SOURCE": str(tmp_path),
        "EDGELOG_POLL_INTERVAL": "1",
        "EDGELOG_WORKERS": "1",
    }
    service = subprocess.Popen(
        [sys.executable, "-m", "ingester", "serve"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while count(empty_db) < 50:
            assert service.poll() is None, service.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        write_log(tmp_path / "b.gz", range(50, 80))  # a later delivery, picked up by a later poll
        while count(empty_db) < 80 or pageviews(empty_db) < 80:  # loaded, then refreshed
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        service.send_signal(signal.SIGTERM)
        _, errors = service.communicate(timeout=30)
    assert service.returncode == 0, errors
    assert "stopping" in errors


def test_retention_drops_whole_days_older_than_the_period(tmp_path, migrated_db, ingest_logs):
    write_log(tmp_path / "old.gz", range(10), day="2020-01-01")
    write_log(tmp_path / "new.gz", range(10, 20), day="2099-01-01")
    ingest_logs(tmp_path)
    refresh(migrated_db)
    apply_retention(Settings.from_env({"EDGELOG_RETENTION_DAYS": "30"}), migrated_db)
    with psycopg.connect(migrated_db) as conn:
        days = conn.execute(
            "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
            "where i.inhparent = 'requests'::regclass"
        ).fetchall()
    # Today's and tomorrow's partitions, made ahead, are kept too.
    assert ("requests_20200101",) not in days and ("requests_20990101",) in days
    assert count(migrated_db) == 10
    with psycopg.connect(migrated_db) as conn:  # and the metrics of the dropped days are gone
        metric_days = conn.execute("select distinct day from traffic_daily").fetchall()
    assert metric_days == [(date(2099, 1, 1),)]


def test_only_one_service_holds_the_lock_and_another_takes_over_when_it_goes(migrated_db):
    first, second = ServiceLock(migrated_db), ServiceLock(migrated_db)
    first.wait()
    assert first.held()
    assert not second.held()
    first.close()
    assert second.held()
    second.close()


def test_a_service_lock_lost_in_a_database_restart_is_taken_again(migrated_db):
    lock = ServiceLock(migrated_db)
    lock.wait()
    with psycopg.connect(migrated_db, autocommit=True) as admin:
        admin.execute("select pg_terminate_backend(%s)", [lock.conn.info.backend_pid])
        assert lock.held()
        holders = admin.execute(
            "select count(*) from pg_locks where locktype = 'advisory' and granted and pid = %s",
            [lock.conn.info.backend_pid],
        ).fetchone()[0]
    lock.close()
    assert holders == 1
