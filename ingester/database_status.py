"""Figures about what is in the database, for `edgelog status` and the demo.

Cheap on any size: counts come from the ledger and the catalogue, never from
scanning `requests`.
"""

from __future__ import annotations

import psycopg

LEDGER_SUMMARY = """
    select status, count(*), coalesce(sum(lines_loaded), 0), coalesce(sum(lines_duplicate), 0),
           coalesce(sum(lines_rejected), 0)
    from ingest_ledger group by status order by status
"""
STORED = """
    select (select count(*) from sites),
           (select min(d) from ingest_ledger, unnest(days) d where status = 'loaded'),
           (select max(d) from ingest_ledger, unnest(days) d where status = 'loaded'),
           (select count(*) from pg_inherits where inhparent = 'requests'::regclass),
           (select pg_size_pretty(sum(pg_total_relation_size(inhrelid)))
            from pg_inherits where inhparent = 'requests'::regclass)
"""


METRICS = """
    select (select max(finished_at) from refresh_log), (select count(*) from dirty_days)
"""


def database_status(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(LEDGER_SUMMARY).fetchall()
        quarantined = conn.execute("select count(*) from quarantine").fetchone()[0]
        has_requests = conn.execute("select to_regclass('requests') is not null").fetchone()[0]
        stored = conn.execute(STORED).fetchone() if has_requests else None
        has_metrics = conn.execute("select to_regclass('refresh_log') is not null").fetchone()[0]
        metrics = conn.execute(METRICS).fetchone() if has_metrics else None
    if not rows:
        return ["ingested: nothing yet (run `edgelog ingest PATH`)"]
    lines = [
        f"objects {status}: {objects:,} ({loaded:,} lines loaded, "
        f"{duplicate:,} duplicate, {rejected:,} quarantined)"
        for status, objects, loaded, duplicate, rejected in rows
    ]
    lines.append(f"quarantined lines kept: {quarantined:,}")
    if stored and stored[1]:
        sites, first, last, partitions, size = stored
        lines.append(
            f"requests: {first} to {last}, {partitions:,} day partitions ({size}), {sites:,} sites"
        )
    if metrics:
        refreshed, waiting = metrics
        when = f"last refreshed {refreshed:%Y-%m-%d %H:%M:%S}" if refreshed else "never refreshed"
        wait = f"{waiting:,} days waiting for `edgelog refresh`" if waiting else "up to date"
        lines.append(f"metrics: {when}, {wait}")
    return lines
