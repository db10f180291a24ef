"""Small objects are committed many to a transaction, each still loaded exactly once."""

import gzip
import io
import queue

import psycopg
from logfiles import HEADER, line, write_log

from ingester.load import batch, ledger
from ingester.load.batch import Held
from ingester.load.copier import COPY_REQUESTS, COPY_STAGING, Copier
from ingester.load.messages import Begin, Chunk, End
from ingester.load.parsing import ObjectParser
from ingester.load.partitions import Partitions
from ingester.settings import Settings
from ingester.sources import ObjectRef


def _held(url: str, objects: dict[str, list[str]]) -> list[Held]:
    """Each object parsed as the loader parses it, held whole as the copier holds it."""
    sent: list = []
    parser = ObjectParser(Settings.from_env({}), url, b"fixed", sent.append)
    try:
        for key, lines in objects.items():
            data = gzip.compress((HEADER + "".join(x + "\n" for x in lines)).encode())
            parser.parse(ObjectRef("file", key, len(data), key), io.BytesIO(data))
        parser.outbox.flush()
    finally:
        parser.close()
    held, current = [], []
    for message in sent:
        current.append(message)
        if isinstance(message, End):
            begin, *chunks, end = current
            assert isinstance(begin, Begin) and all(isinstance(c, Chunk) for c in chunks)
            held.append(Held(begin, chunks, end))
            current = []
    return held


def _write(url: str, held: list[Held]):
    with psycopg.connect(url) as conn:
        Partitions().ensure(conn, set().union(*(h.days for h in held)))
        return batch.write(conn, held, COPY_REQUESTS, COPY_STAGING)


def test_a_batch_commits_every_object_with_its_own_ledger_row_in_one_transaction(
    migrated_db, fetch
):
    held = _held(
        migrated_db, {f"/logs/{i}.gz": [line(i * 20 + n) for n in range(20)] for i in range(30)}
    )
    counts = _write(migrated_db, held)
    assert [c.loaded for c in counts] == [20] * 30
    assert fetch("select count(*) from requests") == [(600,)]
    ledger = fetch(
        "select count(*), count(distinct xmin::text), sum(lines_loaded) from ingest_ledger"
    )
    assert ledger == [(30, 1, 600)]
    assert fetch("select status, count(*) from ingest_ledger group by 1") == [("loaded", 30)]
    assert fetch("select day::text from dirty_days") == [("2024-05-01",)]


def test_a_line_stored_before_or_twice_in_one_batch_counts_as_a_duplicate_of_the_later_object(
    migrated_db, fetch
):
    _write(migrated_db, _held(migrated_db, {"/logs/old.gz": [line(n) for n in range(5)]}))
    held = _held(
        migrated_db,
        {
            "/logs/a.gz": [line(n) for n in range(3, 10)],  # 3 and 4 are stored already
            "/logs/b.gz": [line(n) for n in range(8, 12)],  # 8 and 9 come in a.gz first
        },
    )
    counts = _write(migrated_db, held)
    assert [(c.loaded, c.duplicate) for c in counts] == [(5, 2), (2, 2)]
    assert fetch("select count(*), count(distinct request_key) from requests") == [(12, 12)]
    assert fetch("select key, lines_loaded, lines_duplicate from ingest_ledger order by key") == [
        ("/logs/a.gz", 5, 2),
        ("/logs/b.gz", 2, 2),
        ("/logs/old.gz", 5, 0),
    ]


def test_many_small_objects_load_exactly_once_and_a_rerun_adds_nothing(
    tmp_path, ingest_logs, fetch
):
    for i in range(120):
        write_log(tmp_path / f"{i:03d}.gz", range(i * 20, i * 20 + 25))  # 5 lines overlap
    first = ingest_logs(tmp_path)
    second = ingest_logs(tmp_path)
    assert (first.loaded, first.failed, first.lines_loaded) == (120, 0, 119 * 20 + 25)
    assert first.lines_duplicate == 119 * 5
    assert (second.loaded, second.skipped) == (0, 120)
    assert fetch("select count(*), count(distinct request_key) from requests") == [(2405, 2405)]
    assert fetch("select sum(lines_loaded), sum(lines_duplicate) from ingest_ledger") == [
        (2405, 595)
    ]


def _copy_all(url: str, held: list[Held]) -> list:
    """Run a copier over every message at once, as one batch, and return its outcomes."""
    with psycopg.connect(url) as conn:
        copier = Copier(conn)
        copier.inbox = queue.Queue()  # unbounded: every message is waiting when it starts
        for each in held:
            for message in each.messages():
                copier.send(message)
        copier.start()
        copier.close()
        outcomes = []
        while not copier.outcomes.empty():
            outcomes.append(copier.outcomes.get())
        return outcomes


def test_a_batch_that_loses_a_deadlock_starts_every_object_over(migrated_db, fetch, monkeypatch):
    held = _held(
        migrated_db, {f"/logs/{i}.gz": [line(i * 10 + n) for n in range(10)] for i in range(5)}
    )
    begin_many, lost = ledger.begin_many, []

    def lose_once(conn, refs):
        if not lost:
            lost.append(refs)
            raise psycopg.errors.DeadlockDetected("deadlock detected")
        return begin_many(conn, refs)

    monkeypatch.setattr(ledger, "begin_many", lose_once)
    outcomes = _copy_all(migrated_db, held)
    assert [o.status for o in outcomes] == ["conflict"] * 5
    assert fetch("select count(*) from requests") == [(0,)]
    assert [o.status for o in _copy_all(migrated_db, held)] == ["loaded"] * 5
    assert fetch("select count(*) from requests") == [(50,)]


def test_an_object_failing_in_a_batch_fails_alone_and_the_others_load(
    migrated_db, fetch, monkeypatch
):
    held = _held(
        migrated_db, {f"/logs/{i}.gz": [line(i * 10 + n) for n in range(10)] for i in range(5)}
    )
    finish = ledger.finish

    def finish_or_break(conn, object_id, counts):
        key = conn.execute("select key from ingest_ledger where id = %s", [object_id]).fetchone()
        if key[0] == "/logs/2.gz":
            raise RuntimeError("broken")
        finish(conn, object_id, counts)

    monkeypatch.setattr(ledger, "finish", finish_or_break)
    outcomes = _copy_all(migrated_db, held)
    assert [o.status for o in outcomes] == ["loaded", "loaded", "failed", "loaded", "loaded"]
    assert fetch("select count(*) from requests") == [(40,)]
    assert fetch("select key from ingest_ledger where status = 'failed'") == [("/logs/2.gz",)]
