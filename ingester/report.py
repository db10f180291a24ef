"""Figures about what is in the database, for `edgelog status` and the demo.

Cheap on any size: counts come from the ledger and the catalogue, never from
scanning `requests`.
"""

from __future__ import annotations

import sqlalchemy as sa

from ingester.database import engine_for

LEDGER_SUMMARY = sa.text("""
    select status, count(*) as objects,
           coalesce(sum(lines_loaded), 0) as loaded,
           coalesce(sum(lines_duplicate), 0) as duplicate,
           coalesce(sum(lines_rejected), 0) as rejected
    from ingest_ledger group by status order by status
""")
STORED = sa.text("""
    select (select count(*) from sites) as sites,
           (select min(d) from ingest_ledger, unnest(days) d where status = 'loaded') as first,
           (select max(d) from ingest_ledger, unnest(days) d where status = 'loaded') as last,
           (select count(*) from pg_inherits where inhparent = 'requests'::regclass) as partitions,
           (select pg_size_pretty(sum(pg_total_relation_size(inhrelid)))
            from pg_inherits where inhparent = 'requests'::regclass) as size
""")


def database_status(url: str) -> list[str]:
    with engine_for(url).connect() as conn:
        rows = conn.execute(LEDGER_SUMMARY).all()
        quarantined = conn.execute(sa.text("select count(*) from quarantine")).scalar()
        stored = conn.execute(STORED).one() if _has_requests(conn) else None
    if not rows:
        return ["ingested: nothing yet (run `edgelog ingest PATH`)"]
    lines = [
        f"objects {r.status}: {r.objects:,} ({r.loaded:,} lines loaded, "
        f"{r.duplicate:,} duplicate, {r.rejected:,} quarantined)"
        for r in rows
    ]
    lines.append(f"quarantined lines kept: {quarantined:,}")
    if stored and stored.first:
        lines.append(
            f"requests: {stored.first} to {stored.last}, {stored.partitions:,} day partitions "
            f"({stored.size}), {stored.sites:,} sites"
        )
    return lines


def _has_requests(conn: sa.Connection) -> bool:
    return conn.execute(sa.text("select to_regclass('requests') is not null")).scalar()
