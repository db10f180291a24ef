"""How `edgelog serve` is doing, read from the database: for `edgelog status` and `health`.

Everything here is cheap on any size of history: the poll log, the ledger's
failed rows, the catalogue, and at most a few of the newest day partitions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from ingester.load.partitions import bounds
from ingester.metrics import views

SERVICE_LOCK = 0x6564_6765_6C6F_6773  # "edgelogs": held by the active `edgelog serve`
FAILED_SHOWN = 20  # failed objects listed by name; the rest are counted

# The service lock as pg_locks shows a bigint advisory key: its two 32-bit halves.
LOCK_HOLDERS = """
    select l.granted, a.application_name, a.backend_start
    from pg_locks l left join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.objsubid = 1 and l.classid::bigint = %s
      and l.objid::bigint = %s
      and l.database = (select oid from pg_database where datname = current_database())
    order by l.granted desc, a.backend_start
"""


@dataclass
class ServiceStatus:
    checked_at: datetime
    state: str  # 'active', 'standby' (one waits for the active one) or 'not running'
    instances: list[dict] = field(default_factory=list)
    last_poll: dict | None = None
    last_successful_poll: datetime | None = None
    last_object_loaded: datetime | None = None
    newest_request: datetime | None = None
    ingest_lag_seconds: float | None = None
    objects_loading: int = 0  # being loaded now, or left by a load that was killed
    objects_retrying: int = 0  # failed, to be tried again
    objects_failed: int = 0  # failed every attempt
    failed: list[dict] = field(default_factory=list)
    quarantined: dict[str, int] = field(default_factory=dict)
    last_refresh: datetime | None = None
    days_waiting: int = 0
    views: dict[str, datetime | None] = field(default_factory=dict)

    def as_json(self) -> dict:
        return _plain(asdict(self))


def service_status(conn: psycopg.Connection, max_attempts: int) -> ServiceStatus:
    now = conn.execute("select now()").fetchone()[0]
    status = ServiceStatus(checked_at=now, state="not running")
    _service(conn, status)
    _polls(conn, status)
    _objects(conn, status, max_attempts)
    status.quarantined = dict(
        conn.execute(
            "select reason, count(*) from quarantine group by reason order by 2 desc, 1"
        ).fetchall()
    )
    _freshness(conn, status)
    status.newest_request = newest_request(conn)
    if status.newest_request is not None:
        status.ingest_lag_seconds = (now - status.newest_request).total_seconds()
    return status


def _service(conn, status: ServiceStatus) -> None:
    rows = conn.execute(LOCK_HOLDERS, [SERVICE_LOCK >> 32, SERVICE_LOCK & 0xFFFF_FFFF]).fetchall()
    status.instances = [
        {"role": "active" if granted else "standby", "name": name or "", "since": since}
        for granted, name, since in rows
    ]
    if any(granted for granted, *_ in rows):
        status.state = "active"
    elif rows:
        status.state = "standby"


def _polls(conn, status: ServiceStatus) -> None:
    row = conn.execute(
        "select source, started_at, finished_at, outcome, backfill, objects_loaded,"
        " objects_skipped, objects_failed, lines_loaded, error"
        " from poll_log order by id desc limit 1"
    ).fetchone()
    if row:
        keys = ("source", "started_at", "finished_at", "outcome", "backfill", "objects_loaded",
                "objects_skipped", "objects_failed", "lines_loaded", "error")  # fmt: skip
        status.last_poll = dict(zip(keys, row, strict=True))
    status.last_successful_poll = conn.execute(
        "select max(finished_at) from poll_log where outcome = 'ok'"
    ).fetchone()[0]
    status.last_object_loaded = conn.execute(
        "select max(finished_at) from ingest_ledger where status = 'loaded'"
    ).fetchone()[0]


def _objects(conn, status: ServiceStatus, max_attempts: int) -> None:
    status.objects_loading, status.objects_retrying, status.objects_failed = conn.execute(
        "select count(*) filter (where status = 'loading'),"
        " count(*) filter (where status = 'failed' and attempts < %s),"
        " count(*) filter (where status = 'failed' and attempts >= %s)"
        " from ingest_ledger where status <> 'loaded'",
        [max_attempts, max_attempts],
    ).fetchone()
    rows = conn.execute(
        "select source, key, attempts, retry_at, finished_at, error from ingest_ledger"
        " where status = 'failed' order by finished_at desc limit %s",
        [FAILED_SHOWN],
    ).fetchall()
    status.failed = [
        {"source": source, "key": key, "attempts": attempts, "retry_at": retry_at,
         "failed_at": failed_at, "error": error}
        for source, key, attempts, retry_at, failed_at, error in rows
    ]  # fmt: skip


def _freshness(conn, status: ServiceStatus) -> None:
    """When each view's rollups were last recomputed (a refresh names the views it touched)."""
    status.last_refresh = conn.execute("select max(finished_at) from refresh_log").fetchone()[0]
    status.days_waiting = conn.execute("select count(*) from dirty_days").fetchone()[0]
    refreshed = dict(
        conn.execute(
            "select v, max(finished_at) from refresh_log, unnest(views) v group by v"
        ).fetchall()
    )
    status.views = {view: refreshed.get(view) for view in views.names()}


def newest_request(conn) -> datetime | None:
    """The newest request's time, from the newest day partitions that hold rows (no
    index on time: each look reads one partition, and partitions made ahead are empty)."""
    for name, _lower, _upper in sorted(bounds(conn), key=lambda b: b[1], reverse=True):
        newest = conn.execute(
            sql.SQL("select max(ts) from {}").format(sql.Identifier(name))
        ).fetchone()[0]
        if newest is not None:
            return newest
    return None


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value
