"""A real `edgelog serve` process (1-second polls), against moto's S3 server and a directory:
backfill then follow, stopping cleanly, being killed, losing its database, standing by."""

import gzip
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import psycopg
import pytest
from logfiles import HEADER, line, write_log

from ingester import migrate
from ingester.embedded import EmbeddedPostgres


class Service:
    """`edgelog serve` in a process of its own; its log lines are collected as they come."""

    def __init__(self, url: str, source: str, **env: str):
        self.lines: list[str] = []
        environ = {**os.environ, "DATABASE_URL": url, "EDGELOG_SOURCE": source,
                   "EDGELOG_POLL_INTERVAL": "1", "EDGELOG_WORKERS": "1", **env}  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ingester", "serve"],
            env=environ, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for text in self.process.stderr:
            self.lines.append(text)

    def said(self, words: str) -> bool:
        return any(words in text for text in self.lines)

    def log(self) -> str:
        return "".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=timeout)
        self.close()
        return code

    def close(self) -> None:
        self.reader.join(timeout=5)
        self.process.stderr.close()


@pytest.fixture
def services():
    started: list[Service] = []

    def start(*args, **env) -> Service:
        started.append(Service(*args, **env))
        return started[-1]

    yield start
    for service in started:
        if service.process.poll() is None:
            service.process.kill()
            service.process.wait()
        if not service.process.stderr.closed:
            service.close()


def wait_until(condition, timeout: float = 60, service: Service | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if service is not None:
            assert service.process.poll() is None, service.log()
        assert time.monotonic() < deadline, service.log() if service else "timed out"
        time.sleep(0.1)


def query(url: str, sql: str, *params):
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            return conn.execute(sql, params or None).fetchone()[0]
    except psycopg.errors.UndefinedTable:
        return None


def requests(url: str) -> int:
    return query(url, "select count(*) from requests") or 0


def pageviews(url: str) -> int:
    return query(url, "select coalesce(sum(pageviews), 0) from traffic_daily where channel = '*'")


def put(bucket: str, hour: datetime, numbers, suffix: str = "") -> None:
    body = HEADER + "".join(line(n, f"{hour:%Y-%m-%d}") + "\n" for n in numbers)
    boto3.session.Session().client("s3").put_object(
        Bucket=bucket,
        Key=f"cf/E2EXAMPLE.{hour:%Y-%m-%d-%H}.{numbers[0]:08x}{suffix}.gz",
        Body=gzip.compress(body.encode()),
    )


def test_serve_backfills_a_month_of_s3_history_then_follows_new_and_late_objects(
    empty_bucket, migrated_db, services
):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for day in range(30, 60):
        put(empty_bucket, now - timedelta(days=day), range(day * 10, day * 10 + 3))
    service = services(migrated_db, f"s3://{empty_bucket}/cf/")
    wait_until(lambda: requests(migrated_db) == 90, service=service)
    wait_until(lambda: pageviews(migrated_db) == 90, service=service)
    assert service.said("backfill of s3://")

    put(empty_bucket, now - timedelta(hours=20), range(1000, 1004))  # late, within the lookback
    put(empty_bucket, now, range(2000, 2002))  # new
    wait_until(lambda: pageviews(migrated_db) == 96, service=service)
    put(empty_bucket, now, range(2000, 2002), suffix="-again")  # the same requests again
    wait_until(lambda: query(migrated_db, "select count(*) from poll_log") >= 6, service=service)
    assert requests(migrated_db) == 96
    assert service.stop() == 0


def test_serve_on_a_directory_of_old_logs_loads_them_all_and_what_comes_later(
    tmp_path, migrated_db, services
):
    write_log(tmp_path / "E2EXAMPLE.2026-10-01-00.a1.gz", range(30), day="2026-10-01")
    service = services(migrated_db, str(tmp_path))
    wait_until(lambda: pageviews(migrated_db) == 30, service=service)
    write_log(tmp_path / "E2EXAMPLE.2026-09-01-00.b2.gz", range(30, 40), day="2026-09-01")
    wait_until(lambda: pageviews(migrated_db) == 40, service=service)
    assert service.stop() == 0


def big_log(path: Path, lines: int = 60_000) -> Path:
    return write_log(path, range(lines), day="2026-11-20")


def loading(url: str) -> bool:
    """True while an object's rows are being copied in."""
    active = query(
        url,
        "select count(*) from pg_stat_activity where datname = current_database()"
        " and query ilike 'copy requests%%' and state <> 'idle'",
    )
    return bool(active)


def test_sigterm_mid_object_exits_0_within_10_s_leaving_it_whole_or_absent(
    tmp_path, migrated_db, services
):
    big_log(tmp_path / "big.gz")
    service = services(migrated_db, str(tmp_path))
    wait_until(lambda: loading(migrated_db), service=service)
    started = time.monotonic()
    assert service.stop(signal.SIGTERM, timeout=10) == 0, service.log()
    assert time.monotonic() - started < 10
    loaded = query(migrated_db, "select count(*) from ingest_ledger where status = 'loaded'")
    assert requests(migrated_db) == 60_000 * loaded


def test_kill_9_mid_object_then_a_restart_loads_it_exactly_once(tmp_path, migrated_db, services):
    big_log(tmp_path / "big.gz")
    first = services(migrated_db, str(tmp_path))
    wait_until(lambda: loading(migrated_db), service=first)
    first.stop(signal.SIGKILL)
    second = services(migrated_db, str(tmp_path))
    wait_until(lambda: pageviews(migrated_db) == 60_000, timeout=120, service=second)
    assert requests(migrated_db) == 60_000
    assert query(migrated_db, "select count(*) from ingest_ledger") == 1
    assert second.stop() == 0


def test_a_second_instance_stands_by_and_takes_over_within_two_intervals(
    tmp_path, migrated_db, services
):
    write_log(tmp_path / "a.gz", range(10))
    first = services(migrated_db, str(tmp_path))
    wait_until(lambda: requests(migrated_db) == 10, service=first)
    second = services(migrated_db, str(tmp_path))
    wait_until(lambda: second.said("standing by: another edgelog serve"), service=second)
    assert "edgelog serve on" in second.log()
    first.stop(signal.SIGKILL)
    died = time.monotonic()
    wait_until(lambda: second.said("this one is active now"), timeout=10, service=second)
    assert time.monotonic() - died < 2
    write_log(tmp_path / "b.gz", range(10, 20))
    wait_until(lambda: requests(migrated_db) == 20, service=second)
    assert second.stop() == 0


def test_health_turns_1_when_the_polls_of_a_running_service_stop_succeeding(
    tmp_path, migrated_db, services
):
    logs = tmp_path / "logs"
    logs.mkdir()
    write_log(logs / "a.gz", range(10))
    env = {"EDGELOG_HEALTH_POLL_AGE": "3"}
    service = services(migrated_db, str(logs), **env)
    wait_until(lambda: requests(migrated_db) == 10, service=service)

    def health() -> int:
        environ = {**os.environ, "DATABASE_URL": migrated_db, "EDGELOG_SOURCE": str(logs), **env}
        return subprocess.run([sys.executable, "-m", "ingester", "health"], env=environ,
                              capture_output=True).returncode  # fmt: skip

    assert health() == 0
    shutil.rmtree(logs)  # every poll fails from now on
    wait_until(lambda: health() == 1, timeout=30, service=service)
    assert service.stop() == 0


@pytest.fixture
def own_server():
    """A PostgreSQL server of this test's own, which it may stop and start again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # As root the server runs as another user, who must enter every parent (as in conftest).
    home = Path(tempfile.mkdtemp(prefix="edgelog-restart-"))
    home.chmod(0o755)
    server = EmbeddedPostgres(home / "pgdata", port)
    server.ensure_running()
    yield server
    server.stop()
    shutil.rmtree(home, ignore_errors=True)


def test_serve_rides_out_a_database_restart_and_loses_nothing(tmp_path, own_server, services):
    url = own_server.url()
    migrate.upgrade(url)
    logs = tmp_path / "logs"
    logs.mkdir()
    write_log(logs / "a.gz", range(10))
    service = services(url, str(logs))
    wait_until(lambda: pageviews(url) == 10, service=service)
    own_server.stop()
    write_log(logs / "b.gz", range(10, 25))
    time.sleep(3)  # a few polls fail meanwhile
    own_server.ensure_running()
    wait_until(lambda: pageviews(url) == 25, service=service)
    assert requests(url) == 25
    assert service.stop() == 0
