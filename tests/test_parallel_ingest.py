"""Worker processes load exactly what one process loads."""

import gzip
import logging
import threading
import time

import psycopg
from logfiles import HEADER, line, write_log
from typer.testing import CliRunner

from ingester import migrate
from ingester.cli import app
from ingester.cli.ingest import describe
from ingester.ingest import ingest
from ingester.load import ledger
from ingester.load.messages import ATTEMPTS
from ingester.load.parsing import CHUNK_ROWS
from ingester.load.partitions import Partitions
from ingester.load.rows import _key_hash
from ingester.progress import LogProgress
from ingester.sample.generator import generate
from ingester.settings import Settings

# Dimension ids differ between databases: compare what they stand for.
ROWS = """
    select r.ts, r.request_key, r.visitor_id, r.bytes_sent, r.is_pageview, r.is_bot,
           s.host, p.path, o.status, o.edge_location, c.name, l.city
    from requests r
    join sites s on s.id = r.site_id
    join paths p on p.id = r.path_id
    join responses o on o.id = r.response_id
    join channels c on c.id = r.channel_id
    left join locations l on l.id = r.location_id
    order by r.request_key
"""
runner = CliRunner()
TOTALS = """
    select count(*), sum(lines_loaded), sum(lines_duplicate), sum(lines_rejected)
    from ingest_ledger
"""


def load(url: str, logs, geoip, workers: str):
    env = {"EDGELOG_WORKERS": workers, "EDGELOG_SALT": "fixed", "EDGELOG_GEOIP_DB": str(geoip)}
    summary = ingest([str(logs)], Settings.from_env(env), url, LogProgress())
    with psycopg.connect(url) as conn:
        return summary, conn.execute(ROWS).fetchall(), conn.execute(TOTALS).fetchone()


def test_worker_processes_store_the_same_rows_as_one_process(tmp_path, migrated_db, empty_db):
    sample = generate(tmp_path / "sample", days=1, lines=20_000, seed=3)
    migrate.upgrade(empty_db)
    parallel, rows, totals = load(migrated_db, sample.log_dir, sample.geoip_db, workers="3")
    single, *expected = load(empty_db, sample.log_dir, sample.geoip_db, workers="1")
    assert parallel.failed == single.failed == 0
    assert parallel.lines_read == sample.lines
    assert [rows, totals] == expected
    assert len(rows) > 19_000


def _waiting_on_a_lock(url: str) -> bool:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select 1 from pg_stat_activity where datname = current_database() "
            "and wait_event_type = 'Lock' and query ilike 'copy%'"
        ).fetchall()
    return bool(rows)


def test_a_loader_losing_a_deadlock_loads_its_object_again(tmp_path, migrated_db):
    """Another transaction holds a row the loader needs, then waits for one the loader
    holds: PostgreSQL breaks the deadlock by failing the loader, which tries again."""
    write_log(tmp_path / "a.gz", [2, 1])  # the loader takes 2, then waits for 1
    with psycopg.connect(migrated_db) as other:
        other.execute("select 1")  # opens the transaction
        partitions = Partitions()
        with psycopg.connect(migrated_db, autocommit=True) as ddl:
            partitions.ensure(ddl, ["2024-05-01"])
        other.execute(ROW, [_key(1)])
        result = {}
        loading = threading.Thread(
            target=lambda: result.update(summary=load_only(migrated_db, tmp_path))
        )
        loading.start()
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(migrated_db):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # Now each waits for the other; PostgreSQL fails the one that waited first,
        # the loader, and this insert goes through.
        other.execute(ROW, [_key(2)])
        other.rollback()
        loading.join(timeout=60)
    summary = result["summary"]
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (1, 0, 2)


# A bare row of `requests`, enough to hold a request key's place.
ROW = """
    insert into requests (ts, request_key, visitor_id, site_id, path_id, response_id,
                          channel_id, is_pageview, is_bot)
    values ('2024-05-01 00:00:00+00', %s, 0, 0, 0, 0, 1, false, false)
"""


def _key(n: int) -> int:
    return int(_key_hash(f"req{n:050d}=="))


def load_only(url: str, logs, workers: str = "2"):
    env = {"EDGELOG_WORKERS": workers, "EDGELOG_LOG_LEVEL": "warning"}
    return ingest([str(logs)], Settings.from_env(env), url, LogProgress())


def test_a_run_that_loses_the_database_stops_with_a_clear_error_and_the_next_run_completes_it(
    tmp_path, migrated_db
):
    sample = generate(tmp_path / "sample", days=1, lines=30_000, seed=5)
    env = {"DATABASE_URL": migrated_db, "EDGELOG_WORKERS": "2", "EDGELOG_SALT": "fixed"}
    result = {}
    cut = threading.Thread(
        target=lambda: result.update(
            run=runner.invoke(app, ["ingest", str(sample.log_dir)], env=env)
        )
    )
    with psycopg.connect(migrated_db, autocommit=True) as admin:
        cut.start()
        deadline = time.monotonic() + 60
        while not admin.execute("select 1 from ingest_ledger where status = 'loaded'").fetchall():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        admin.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        )
        cut.join(timeout=120)
        assert not cut.is_alive()
        assert result["run"].exit_code == 1
        assert "the database connection failed" in result["run"].output
        assert "the next run loads them" in result["run"].output
        partial = admin.execute(TOTALS).fetchone()

        again = runner.invoke(app, ["ingest", str(sample.log_dir)], env=env)
        assert again.exit_code == 0, again.output
        loaded, lines_loaded, duplicate, rejected = admin.execute(TOTALS).fetchone()
        read = admin.execute("select sum(lines_read) from ingest_ledger").fetchone()[0]
        stored = admin.execute("select count(*) from requests").fetchone()[0]
    assert partial[0] < loaded  # the cut run did not finish
    assert read == sample.lines  # every object loaded, each once
    assert stored == lines_loaded  # and nothing else: no half-loaded object
    assert lines_loaded + duplicate + rejected == sample.lines


def test_more_new_dimension_keys_in_one_flush_than_a_cache_holds_are_all_stored(
    tmp_path, migrated_db
):
    """Two objects just under a chunk each are resolved together: about 20,000 new paths
    and query strings at once, more than the 15,000 a cache keeps."""
    per_file = CHUNK_ROWS - 1
    for f in range(4):
        numbers = range(f * per_file, (f + 1) * per_file)
        text = HEADER + "".join(
            line(n)
            .replace(f"\t/page/{n % 50}\t", f"\t/item/{n}\t")
            .replace("Firefox/125.0\t-\t", f"Firefox/125.0\tq={n}\t")
            + "\n"
            for n in numbers
        )
        (tmp_path / f"{f}.gz").write_bytes(gzip.compress(text.encode(), mtime=0))
    summary = load_only(migrated_db, tmp_path, workers="3")
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (4, 0, 4 * per_file)
    with psycopg.connect(migrated_db) as conn:
        stored = conn.execute(
            "select count(distinct p.path), count(distinct q.query) from requests r "
            "join paths p on p.id = r.path_id join query_strings q on q.id = r.query_id"
        ).fetchone()
    assert stored == (4 * per_file, 4 * per_file)


def _deadlocks(monkeypatch, times: int) -> None:
    """The first `times` loads of an object lose a deadlock against another loader."""
    begin, lost = ledger.begin, []

    def begin_or_lose(conn, ref):
        if len(lost) < times:
            lost.append(ref)
            raise psycopg.errors.DeadlockDetected("deadlock detected")
        return begin(conn, ref)

    monkeypatch.setattr(ledger, "begin", begin_or_lose)


def test_a_conflict_is_counted_and_its_object_loaded_again(
    tmp_path, ingest_logs, fetch, monkeypatch, caplog
):
    caplog.set_level(logging.INFO)
    write_log(tmp_path / "a.gz", range(10))
    _deadlocks(monkeypatch, times=1)
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed, summary.retried) == (1, 0, 1)
    assert (summary.lines_read, summary.lines_loaded) == (10, 10)
    expected = "objects: 1 loaded, 0 skipped, 0 failed, 1 retried after a conflict"
    assert describe(summary)[0] == expected
    assert fetch("select status from ingest_ledger") == [("loaded",)]
    said = [r.getMessage() for r in caplog.records if str(tmp_path) in r.getMessage()]
    assert len(said) == 2 and said[0].startswith("loading") and "again after a conflict" in said[0]


def test_an_object_that_keeps_conflicting_fails_after_the_last_attempt(
    tmp_path, ingest_logs, fetch, monkeypatch
):
    write_log(tmp_path / "a.gz", range(10))
    _deadlocks(monkeypatch, times=1_000)
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed, summary.retried) == (0, 1, ATTEMPTS - 1)
    ((status, error),) = fetch("select status, error from ingest_ledger")
    assert status == "failed"
    assert error == f"DeadlockDetected: deadlock detected (gave up after {ATTEMPTS} attempts)"
