"""Day partitions are made ahead, in short transactions: loading never locks `requests`
against other loaders or readers (a metrics refresh), and `finished_at` is commit time."""

import gzip
import threading
from datetime import UTC, datetime, timedelta

import psycopg
from logfiles import HEADER, line, write_log

from ingester.load.parsing import CHUNK_ROWS
from ingester.load.partitions import Partitions

PARTITIONS = """
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'requests'::regclass order by 1
"""


def test_today_and_tomorrow_have_partitions_before_their_logs_arrive(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", range(3))
    ingest_logs(tmp_path)
    today = datetime.now(UTC).date()
    names = {name for (name,) in fetch(PARTITIONS)}
    assert {f"requests_{today:%Y%m%d}", f"requests_{today + timedelta(days=1):%Y%m%d}"} <= names


def _load_while_requests_is_read(url: str, load) -> dict:
    """Run `load` while another transaction reads `requests`, as a refresh does."""
    result: dict = {}
    with psycopg.connect(url) as reader:
        reader.execute("select count(*) from requests")  # holds its lock until rollback
        loading = threading.Thread(target=lambda: result.update(summary=load()))
        loading.start()
        loading.join(timeout=60)
        result["waited"] = loading.is_alive()
        reader.rollback()
        loading.join(timeout=60)
    return result


def test_loading_a_new_day_does_not_wait_for_readers_of_requests(
    tmp_path, migrated_db, ingest_logs
):
    write_log(tmp_path / "a.gz", range(10), day="2024-03-01")
    result = _load_while_requests_is_read(migrated_db, lambda: ingest_logs(tmp_path))
    assert not result["waited"], "making the day's partition waited for the reader"
    assert result["summary"].lines_loaded == 10


def test_a_later_chunk_reaching_a_new_day_does_not_lock_requests_and_loses_nothing(
    tmp_path, migrated_db, ingest_logs, fetch
):
    with psycopg.connect(migrated_db) as conn:
        Partitions().ensure(conn, ["2024-03-01"])
    lines = [line(n, "2024-03-01") for n in range(CHUNK_ROWS)]
    lines += [line(n, "2024-03-02") for n in range(CHUNK_ROWS, CHUNK_ROWS + 10)]
    text = HEADER + "".join(x + "\n" for x in lines)
    (tmp_path / "a.gz").write_bytes(gzip.compress(text.encode()))
    result = _load_while_requests_is_read(migrated_db, lambda: ingest_logs(tmp_path))
    assert not result["waited"], "the object's transaction locked requests"
    summary = result["summary"]
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (1, 0, CHUNK_ROWS + 10)
    assert summary.retried == 1  # started over once its second day had a partition
    assert fetch("select count(*) from requests_20240302") == [(10,)]


def test_finished_at_is_when_the_load_commits_not_when_it_began(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", range(3 * CHUNK_ROWS))
    ingest_logs(tmp_path)
    ((started, finished),) = fetch("select started_at, finished_at from ingest_ledger")
    assert finished > started
