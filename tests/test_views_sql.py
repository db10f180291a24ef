"""The view files: their conventions, the migrations that freeze them, and who may read them."""

import importlib.util
import re
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from ingester import migrate
from ingester.metrics import rollups, views

ROOT = Path(__file__).resolve().parents[1]
VIEW_FILES = sorted((ROOT / "sql_views").glob("*.sql"))
# Pipeline health reads the ingest ledger, quarantine and refresh log directly.
PIPELINE_VIEWS = {"ingest_hourly", "quarantine_hourly", "ingest_failures", "refresh_status"}


def _migrations():
    """Every migration module, oldest first."""
    modules = []
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def _frozen() -> dict[str, str]:
    """Each view's SQL as the newest migration that defines it froze it."""
    frozen = {}
    for module in _migrations():
        frozen |= getattr(module, "VIEWS", {})
    return frozen


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: p.stem)
def test_the_newest_migration_froze_the_view_file_as_it_is(path):
    assert _frozen().get(path.stem) == path.read_text(), (
        f"sql_views/{path.name} changed: freeze it in a new migration"
    )


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: p.stem)
def test_a_view_file_opens_with_its_grain_and_defines_the_view_named_like_it(path):
    text = path.read_text()
    assert text.startswith("-- one row per ")
    assert f"create view {path.stem} as" in text


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: p.stem)
def test_a_view_file_is_lowercase_and_ends_with_select_from_final(path):
    code = "\n".join(line.split("--")[0] for line in path.read_text().splitlines())
    strings = re.sub(r"'[^']*'", "''", code)
    assert strings == strings.lower()
    assert "final as (" in code
    assert "select * from final;" in code


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: p.stem)
def test_a_view_reads_rollups_and_dimensions_never_the_requests_table(path):
    assert not re.search(r"\b(from|join)\s+requests\b", path.read_text())


def test_every_view_exists_and_reads_rollups_the_refresh_maintains(migrated_db):
    with psycopg.connect(migrated_db) as conn:
        rows = conn.execute(
            "select viewname from pg_views where schemaname = 'public' order by 1"
        ).fetchall()
        keyed = {
            name
            for (name,) in conn.execute(
                "select conrelid::regclass::text from pg_constraint where contype = 'p'"
            ).fetchall()
        }
    assert [name for (name,) in rows] == sorted(views.names())
    for view in views.names():
        if view in PIPELINE_VIEWS:  # small tables of their own, no rollup
            continue
        assert views.rollups_of(view), view
        for rollup in views.rollups_of(view):
            assert rollup in rollups.ALL + tuple(rollups.WEEKLY) and rollup in keyed, rollup


def test_reader_may_select_every_view_but_no_rollup_or_visit(empty_db, monkeypatch):
    monkeypatch.setenv("EDGELOG_READER_PASSWORD", "reader-secret")
    migrate.upgrade(empty_db)
    reader = make_conninfo(empty_db, user="edgelog_reader", password="reader-secret")
    with psycopg.connect(reader, autocommit=True) as conn:
        for view in views.names():
            conn.execute(f"select * from {view} limit 1")
        for table in ("rollup_pages_daily", "visits", "visitor_numbers", "dirty_days"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select * from {table}")
