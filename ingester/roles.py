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
    verifier = scram_verifier(conn, password)
    conn.exec_driver_sql(f"alter role {READER} login password '{verifier}'")


def scram_verifier(conn: sa.Connection, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password`, computed here by libpq, as psql's
    \\password does: the password itself never reaches the server, nor its logs
    (log_statement = 'ddl' logs every ALTER ROLE)."""
    pgconn = conn.connection.driver_connection.pgconn
    verifier = pgconn.encrypt_password(password.encode(), READER.encode(), b"scram-sha-256")
    return verifier.decode("ascii")  # base64, '$' and ':' only: safe inside quotes


def grant_read(relation: str) -> str:
    """SQL a migration runs for each view it creates."""
    return f"grant select on {relation} to {READER}"


# The reader's own settings in this database (migration 0009), as a login as it gets them.
_READER_SETTINGS = f"""
    select unnest(setconfig) from pg_db_role_setting
    where setrole = '{READER}'::regrole
      and setdatabase = (select oid from pg_database where datname = current_database())
"""


def become_reader(conn) -> None:
    """Turn a superuser's psycopg connection into a session of the reader, with the settings
    a login as it would get: how tests and benchmarks run Grafana's queries."""
    settings = [row[0].split("=", 1) for row in conn.execute(_READER_SETTINGS)]
    conn.execute(f"set role {READER}")
    for name, value in settings:
        conn.execute("select set_config(%s, %s, false)", (name, value))
