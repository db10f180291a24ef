"""The secret key of the visitor hash: from EDGELOG_SALT, or generated once and kept."""

from __future__ import annotations

import hashlib
import secrets

import psycopg

NAME = "visitor_salt"


def visitor_salt(conn: psycopg.Connection, configured: str | None) -> bytes:
    if configured:
        return hashlib.blake2b(configured.encode(), digest_size=32).digest()
    # Generated once; the table is not readable by the Grafana role.
    conn.execute(
        "insert into secrets (name, value) values (%s, %s) on conflict do nothing",
        [NAME, secrets.token_bytes(32)],
    )
    return bytes(conn.execute("select value from secrets where name = %s", [NAME]).fetchone()[0])
