"""Whether `edgelog serve` is doing its job, for `edgelog health` (container health checks).

Unhealthy when the database cannot be reached or its schema is behind, when no
poll has gone through for longer than EDGELOG_HEALTH_POLL_AGE (a long backfill
counts as alive while it keeps loading objects), or when loaded days have waited
for a refresh longer than EDGELOG_HEALTH_REFRESH_AGE.
"""

from __future__ import annotations

from datetime import UTC, timedelta

import psycopg

from ingester.settings import Settings


def poll_age_limit(settings: Settings) -> timedelta:
    if settings.health_poll_age == "auto":
        return timedelta(seconds=3 * settings.poll_interval + 600)
    return timedelta(seconds=settings.health_poll_age)


def problems(conn: psycopg.Connection, settings: Settings) -> list[str]:
    """What is wrong, in words; empty when healthy."""
    found = []
    now, last_ok, first_poll, last_loaded, last_refresh, waiting = conn.execute("""
        select now(),
               (select max(finished_at) from poll_log where outcome = 'ok'),
               (select min(started_at) from poll_log),
               (select max(finished_at) from ingest_ledger where status = 'loaded'),
               (select max(finished_at) from refresh_log),
               (select count(*) from dirty_days)
    """).fetchone()
    limit = poll_age_limit(settings)
    if settings.source and first_poll is not None:
        alive = max((t for t in (last_ok, last_loaded) if t is not None), default=first_poll)
        if now - alive > limit:
            what = (
                f"the last successful poll was at {last_ok.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
                if last_ok
                else "no poll has succeeded yet"
            )
            found.append(f"{what}, more than {_span(limit)} ago")
    refresh_limit = timedelta(seconds=settings.health_refresh_age)
    if waiting:
        since = last_refresh or last_loaded
        if since is not None and now - since > refresh_limit:
            found.append(
                f"{waiting} loaded days have waited for a refresh for more than "
                f"{_span(refresh_limit)}"
            )
    return found


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60} min" if seconds >= 120 else f"{seconds} s"
