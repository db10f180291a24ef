"""Figures about what is in the database, for `edgelog status` and the demo."""

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


def database_status(url: str) -> list[str]:
    with engine_for(url).connect() as conn:
        rows = conn.execute(LEDGER_SUMMARY).all()
        quarantined = conn.execute(sa.text("select count(*) from quarantine")).scalar()
    if not rows:
        return ["ingested: nothing yet (run `edgelog ingest PATH`)"]
    lines = [
        f"objects {r.status}: {r.objects:,} ({r.loaded:,} lines loaded, "
        f"{r.duplicate:,} duplicate, {r.rejected:,} quarantined)"
        for r in rows
    ]
    lines.append(f"quarantined lines kept: {quarantined:,}")
    return lines
