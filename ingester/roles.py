"""The read-only role Grafana logs in as: it may select from views and nothing else."""

from __future__ import annotations

import sqlalchemy as sa

READER = "edgelog_reader"


def sync_reader_password(conn: sa.Connection, password: str | None) -> None:
    """Give the reader role the configured password, so Grafana can log in.

    Kept out of the migrations because the password belongs to the
    deployment, not to the schema; run after every upgrade.
    """
    if not password:
        return
    exists = conn.execute(sa.text("select 1 from pg_roles where rolname = :r"), {"r": READER})
    if exists.scalar() is None:
        return
    quoted = conn.execute(sa.text("select quote_literal(:p)"), {"p": password}).scalar()
    conn.execute(sa.text(f"alter role {READER} login password {quoted}"))


def grant_read(relation: str) -> str:
    """SQL a migration runs for each view it creates."""
    return f"grant select on {relation} to {READER}"
