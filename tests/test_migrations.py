import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg.conninfo import make_conninfo

from ingester import migrate
from ingester.roles import grant_read

ROOT = Path(__file__).resolve().parents[1]


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select tablename from pg_tables where schemaname = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def test_upgrade_then_downgrade_to_base_then_upgrade_again(empty_db):
    migrate.upgrade(empty_db)
    assert {"ingest_ledger", "quarantine"} <= _tables(empty_db)
    migrate.downgrade(empty_db, "base")
    assert _tables(empty_db) == {"alembic_version"}
    migrate.upgrade(empty_db)
    assert migrate.current_revision(empty_db) == migrate.head_revision()
    assert {"ingest_ledger", "quarantine"} <= _tables(empty_db)


def test_plain_alembic_upgrade_head_uses_database_url(empty_db):
    env = {**os.environ, "DATABASE_URL": empty_db}
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    assert migrate.current_revision(empty_db) == migrate.head_revision()


def test_reader_role_may_select_from_views_and_nothing_else(empty_db, monkeypatch):
    monkeypatch.setenv("EDGELOG_READER_PASSWORD", "reader-secret")
    migrate.upgrade(empty_db)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("create view visible_counts as select count(*) as n from ingest_ledger")
        conn.execute(grant_read("visible_counts"))
    reader = make_conninfo(empty_db, user="edgelog_reader", password="reader-secret")
    with psycopg.connect(reader, autocommit=True) as conn:
        assert conn.execute("select n from visible_counts").fetchone() == (0,)
        for statement in (
            "select * from ingest_ledger",
            "select * from quarantine",
            "insert into ingest_ledger (source, key, status) values ('x', 'y', 'loaded')",
            "create table mine (id int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_no_role_may_create_in_public_even_where_postgresql_once_allowed_it(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("grant create on schema public to public")  # PostgreSQL 13 and 14
    migrate.upgrade(empty_db)
    with psycopg.connect(empty_db) as conn:
        may = conn.execute(
            "select has_schema_privilege('edgelog_reader', 'public', 'create')"
        ).fetchone()[0]
    assert may is False


def test_the_reader_password_is_never_sent_to_the_server(empty_db, monkeypatch):
    monkeypatch.setenv("EDGELOG_READER_PASSWORD", "reader-secret")
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(f"{statement} {parameters}")

    sa.event.listen(sa.Engine, "before_cursor_execute", record)
    try:
        migrate.upgrade(empty_db)
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", record)
    assert any("alter role edgelog_reader" in s for s in sent)
    assert not [s for s in sent if "reader-secret" in s]
    with psycopg.connect(empty_db) as conn:
        stored = conn.execute(
            "select rolpassword from pg_authid where rolname = 'edgelog_reader'"
        ).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$")
    reader = make_conninfo(empty_db, user="edgelog_reader", password="reader-secret")
    with psycopg.connect(reader) as conn:
        assert conn.execute("select current_user").fetchone() == ("edgelog_reader",)


def test_the_readers_sessions_get_work_memory_a_time_limit_and_plain_backslashes(
    empty_db, monkeypatch
):
    monkeypatch.setenv("EDGELOG_READER_PASSWORD", "reader-secret")
    migrate.upgrade(empty_db)
    reader = make_conninfo(empty_db, user="edgelog_reader", password="reader-secret")
    with psycopg.connect(reader) as conn:
        assert conn.execute("show work_mem").fetchone() == ("64MB",)
        assert conn.execute("show statement_timeout").fetchone() == ("1min",)
        assert conn.execute("show standard_conforming_strings").fetchone() == ("on",)
    with psycopg.connect(empty_db) as conn:  # the owner's loads and refreshes keep the defaults
        assert conn.execute("show work_mem").fetchone() != ("64MB",)
    migrate.downgrade(empty_db, "0008")
    with psycopg.connect(reader) as conn:
        assert conn.execute("show work_mem").fetchone() != ("64MB",)
