"""What `edgelog serve` remembers of its polls: `poll_log` and `source_backfills`.

The first poll of a source lists it whole (a backfill); once one has gone
through without being stopped, later polls list only the recent keys. A new
EDGELOG_BACKFILL_SINCE earlier than the one the backfill used, or none at
all after one with a start, backfills again: what is already loaded is skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg

log = logging.getLogger(__name__)


@dataclass
class Poll:
    source: str
    started_at: datetime
    backfill: bool
    since: datetime | None = None  # the listing's start; None lists everything
    outcome: str = "ok"  # 'ok', 'failed' or 'stopped'
    objects_loaded: int = 0
    objects_skipped: int = 0
    objects_failed: int = 0
    lines_loaded: int = 0
    error: str | None = None


def needs_backfill(conn: psycopg.Connection, source: str, since: datetime | None) -> bool:
    """True until a backfill of `source` from `since` (or earlier) went through."""
    row = conn.execute("select since from source_backfills where source = %s", [source]).fetchone()
    if row is None:
        return True
    done_since = row[0]
    if done_since is None:
        return False
    return since is None or since < done_since


def record(url: str, poll: Poll) -> None:
    """Log the poll, and a backfill that went through; a database that is down loses the
    row (the poll itself is logged anyway), never the poll's loads."""
    try:
        with (
            psycopg.connect(url, autocommit=True, connect_timeout=10) as conn,
            conn.transaction(),
        ):
            conn.execute(
                    "insert into poll_log (source, started_at, finished_at, outcome, backfill,"
                    " objects_loaded, objects_skipped, objects_failed, lines_loaded, error)"
                    " values (%s, %s, clock_timestamp(), %s, %s, %s, %s, %s, %s, %s)",
                    [poll.source, poll.started_at, poll.outcome, poll.backfill,
                     poll.objects_loaded, poll.objects_skipped, poll.objects_failed,
                     poll.lines_loaded, poll.error and poll.error[:2000]],
                )  # fmt: skip
            if poll.backfill and poll.outcome == "ok":
                conn.execute(
                    "insert into source_backfills (source, since, finished_at)"
                    " values (%s, %s, clock_timestamp()) on conflict (source) do update"
                    " set since = excluded.since, finished_at = excluded.finished_at",
                    [poll.source, poll.since],
                )
    except psycopg.Error as exc:
        log.warning("could not record the poll: %s", exc.__class__.__name__)


def prune(conn: psycopg.Connection, keep_days: int = 30) -> int:
    """Forget polls older than `keep_days`, keeping the newest of each outcome."""
    return conn.execute(
        "delete from poll_log p where finished_at < now() - make_interval(days => %s)"
        " and id <> all(array(select max(id) from poll_log group by outcome))",
        [keep_days],
    ).rowcount
