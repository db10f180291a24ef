"""`edgelog serve`: the long-lived ingester, on APScheduler.

Jobs: poll EDGELOG_SOURCE every EDGELOG_POLL_INTERVAL seconds, and once a day
drop the day partitions older than EDGELOG_RETENTION_DAYS. The first poll of
a source is a backfill: it lists the source whole (or from
EDGELOG_BACKFILL_SINCE on) and loads everything the ledger lacks. Once one
went through, polls of S3 list only the keys of the last
EDGELOG_LOOKBACK_HOURS (a skip-scan by the date in the key, so a poll costs
the same however old the bucket), while a local directory is listed whole
every time. After a poll the metrics of the dirty days are refreshed. Every
poll is logged in `poll_log`, for `edgelog status` and `edgelog health`.
A PostgreSQL advisory lock keeps a single instance active; a failed run
(database or S3 down) is logged and simply retried at the next interval.
SIGTERM and SIGINT stop it between objects."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
from apscheduler.schedulers.blocking import BlockingScheduler

from ingester import maintenance, migrate
from ingester.ingest import ingest
from ingester.load.ledger import due_failures
from ingester.metrics.refresh import refresh
from ingester.polls import Poll, needs_backfill, record
from ingester.progress import LogProgress
from ingester.service_status import SERVICE_LOCK
from ingester.settings import Settings
from ingester.sources.s3 import parse_s3_url

log = logging.getLogger(__name__)

MIN_LOOKBACK_HOURS = 24  # CloudFront delivers up to 24 hours late


def wait_for_database(url: str, attempts: int = 30) -> None:
    for attempt in range(1, attempts + 1):
        try:
            with psycopg.connect(url, connect_timeout=5):
                return
        except psycopg.OperationalError as exc:
            log.warning("database not reachable (attempt %d/%d): %s", attempt, attempts, exc)
            time.sleep(min(2 * attempt, 30))
    raise SystemExit("the database stayed unreachable; giving up")


class ServiceLock:
    """One active `edgelog serve` per database: a session advisory lock.

    The lock lives with its connection, so a database restart releases it;
    `held()` then takes it again, or reports that another instance got it first.
    """

    def __init__(self, url: str):
        self.url = url
        self.conn: psycopg.Connection | None = None

    def wait(self) -> None:
        """Block until this is the only running service."""
        if not self.held():
            self.conn = self._connect()
            log.info(
                "standing by: another edgelog serve (%s) is active on this database; taking "
                "over when it stops",
                self._holder() or "unknown",
            )
            self.conn.execute("select pg_advisory_lock(%s)", [SERVICE_LOCK])
            log.info("the other edgelog serve stopped: this one is active now")

    def _connect(self) -> psycopg.Connection:
        # `edgelog status` shows the instances by this name.
        name = f"edgelog serve on {socket.gethostname()} (pid {os.getpid()})"
        return psycopg.connect(self.url, autocommit=True, application_name=name[:63])

    def _holder(self) -> str | None:
        row = self.conn.execute(
            "select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid"
            " where l.locktype = 'advisory' and l.granted and l.objsubid = 1"
            " and l.classid::bigint = %s and l.objid::bigint = %s",
            [SERVICE_LOCK >> 32, SERVICE_LOCK & 0xFFFF_FFFF],
        ).fetchone()
        return row[0] if row else None

    def held(self) -> bool:
        if self.conn is not None and not self.conn.broken and not self.conn.closed:
            try:
                self.conn.execute("select 1")
                return True
            except psycopg.OperationalError:
                pass
        self.close()
        try:
            conn = self._connect()
        except psycopg.OperationalError:
            return False
        if conn.execute("select pg_try_advisory_lock(%s)", [SERVICE_LOCK]).fetchone()[0]:
            self.conn = conn
            return True
        conn.close()
        return False

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


STOPPING = threading.Event()  # set by SIGTERM: a poll stops between two objects


def poll(settings: Settings, url: str, lock: ServiceLock | None = None) -> None:
    if lock is not None and not lock.held():  # lost it in a database restart
        log.warning(
            "not polling: the database is unreachable, or another edgelog serve took it over "
            "while it restarted"
        )
        return
    source = settings.source
    try:
        current = _poll_plan(settings, url)
    except psycopg.Error as exc:
        log.error("poll of %s failed: database unreachable (%s)", source, exc.__class__.__name__)
        record(url, Poll(source, datetime.now(UTC), False, outcome="failed", error=str(exc)))
        return
    if current.backfill:
        start = f"from {current.since:%Y-%m-%d}" if current.since else "whole"
        log.info("backfill of %s (%s): loading every object not loaded yet", source, start)
    try:
        summary = ingest(
            [source], settings, url, LogProgress(), current.since, STOPPING, settings.max_attempts
        )
        if current.since is not None and not STOPPING.is_set():
            _retry_outside_listing(settings, url, summary)
    except Exception as exc:
        log.exception("poll of %s failed; retrying at the next interval", source)
        current.outcome, current.error = "failed", f"{exc.__class__.__name__}: {exc}"
        record(url, current)
        return
    current.outcome = "stopped" if STOPPING.is_set() else "ok"
    current.objects_loaded, current.objects_skipped = summary.loaded, summary.skipped
    current.objects_failed, current.lines_loaded = summary.failed, summary.lines_loaded
    record(url, current)
    log.info(
        "%s: %d objects loaded, %d skipped, %d failed, %d failed before and not retried yet; "
        "%d lines loaded",
        "backfill" if current.backfill else "poll",
        summary.loaded, summary.skipped, summary.failed, summary.held_back, summary.lines_loaded,
    )  # fmt: skip
    if not STOPPING.is_set():
        refresh_views(url)


def _retry_outside_listing(settings: Settings, url: str, summary) -> None:
    """Failed S3 objects older than the lookback are not listed any more: those due for
    another attempt are tried by their own key (a list call each, a few times at most)."""
    bucket, prefix = parse_s3_url(settings.source)
    with psycopg.connect(url, connect_timeout=10) as conn:
        keys = due_failures(conn, f"s3://{bucket}", prefix, settings.max_attempts)
    if not keys:
        return
    log.info("retrying %d failed object(s) older than the lookback", len(keys))
    retried = ingest(
        [f"s3://{bucket}/{key}" for key in keys], settings, url, LogProgress(), None, STOPPING,
        settings.max_attempts,
    )  # fmt: skip
    summary.loaded += retried.loaded
    summary.failed += retried.failed
    summary.lines_loaded += retried.lines_loaded


def _poll_plan(settings: Settings, url: str) -> Poll:
    """What this poll lists: everything (or from EDGELOG_BACKFILL_SINCE) until a backfill went
    through, then the last EDGELOG_LOOKBACK_HOURS of S3 keys. A local directory is listed
    whole every time (cheap), never filtered by the dates in file names: files copied in
    from an archive are as new to edgelog as today's."""
    backfill_since = (
        datetime.fromisoformat(settings.backfill_since).replace(tzinfo=UTC)
        if settings.backfill_since
        else None
    )
    with psycopg.connect(url, connect_timeout=10) as conn:
        backfill = needs_backfill(conn, settings.source, backfill_since)
    started = datetime.now(UTC)
    if not settings.source.startswith("s3://"):
        return Poll(settings.source, started, backfill, since=None)
    if backfill:
        return Poll(settings.source, started, True, since=backfill_since)
    hours = max(settings.lookback_hours, MIN_LOOKBACK_HOURS)
    return Poll(settings.source, started, False, since=started - timedelta(hours=hours))


def refresh_views(url: str) -> None:
    """Refresh after every poll that left days dirty (it loaded something, or an earlier
    refresh failed: its days stay marked, so the next poll retries it)."""
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            if conn.execute("select not exists (select from dirty_days)").fetchone()[0]:
                return
        refresh(url)
    except Exception:
        log.exception("refresh failed; retrying after the next poll")


def apply_retention(settings: Settings, url: str) -> None:
    """The daily maintenance (see maintenance.py), then the refresh of the dropped days."""
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            dropped = maintenance.daily(conn, settings)
    except psycopg.Error:
        log.exception("daily maintenance failed; retrying tomorrow")
        return
    if dropped:
        refresh_views(url)


def serve(settings: Settings, url: str) -> None:
    wait_for_database(url)
    lock = ServiceLock(url)
    lock.wait()
    migrate.upgrade(url)
    scheduler = BlockingScheduler(timezone=UTC)
    if settings.source:
        scheduler.add_job(
            poll, "interval", seconds=settings.poll_interval, args=[settings, url, lock],
            next_run_time=datetime.now(UTC), max_instances=1, coalesce=True, id="poll",
        )  # fmt: skip
    else:
        log.warning("EDGELOG_SOURCE is not set: nothing to poll")
    scheduler.add_job(
        apply_retention, "cron", hour=3, args=[settings, url], id="maintenance",
        next_run_time=datetime.now(UTC), coalesce=True,
    )  # fmt: skip

    def stop(signum, frame) -> None:
        log.info("received %s: stopping after the current object", signal.Signals(signum).name)
        STOPPING.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("edgelog serve running (poll every %ds)", settings.poll_interval)
    try:
        scheduler.start()
    finally:
        lock.close()
