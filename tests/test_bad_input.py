"""Hostile input is quarantined line by line; it never fails an object, a day or a run."""

import gzip
import threading

import psycopg
import pytest
from logfiles import HEADER, line

from ingester.load import ledger
from ingester.logs.fields import INDEX
from ingester.service import apply_retention
from ingester.settings import Settings

PARTITIONS = """
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'requests'::regclass order by 1
"""


def altered(n: int, day: str = "2024-01-01", **values: str) -> str:
    """line(n) with some fields replaced, by canonical name (dashes as underscores)."""
    fields = line(n, day).split("\t")
    for name, value in values.items():
        fields[INDEX[name.replace("_", "-")]] = value
    return "\t".join(fields)


def write(path, *lines: str):
    path.write_bytes(gzip.compress((HEADER + "".join(x + "\n" for x in lines)).encode()))
    return path


def test_an_iso_week_date_is_quarantined_and_does_not_break_its_day(tmp_path, ingest_logs, fetch):
    write(tmp_path / "a.gz", altered(1, date="2024-W01-1"), altered(2))
    first = ingest_logs(tmp_path / "a.gz")
    write(tmp_path / "b.gz", altered(3), altered(4))
    second = ingest_logs(tmp_path / "b.gz")
    assert (first.loaded, first.failed, first.lines_loaded, first.lines_rejected) == (1, 0, 1, 1)
    assert (second.loaded, second.failed, second.lines_loaded) == (1, 0, 2)
    assert fetch("select line_number, reason from quarantine") == [
        (3, "date is not a YYYY-MM-DD date")
    ]
    assert ("requests_20240101",) in fetch(PARTITIONS)
    assert all(name[9:].isdigit() and len(name) == 17 for (name,) in fetch(PARTITIONS))
    assert fetch("select count(*) from requests_20240101") == [(3,)]


def test_a_bad_date_after_its_day_was_loaded_loses_no_valid_line(tmp_path, ingest_logs, fetch):
    write(tmp_path / "a.gz", altered(1))
    write(tmp_path / "b.gz", altered(2, date="2024-W01-1"), altered(3), altered(4))
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (2, 0, 3)


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"date": "20240101"}, "date is not a YYYY-MM-DD date"),
        ({"date": "2024-01-0\u0661"}, "date is not a YYYY-MM-DD date"),  # Arabic-Indic digit
        ({"date": "1970-01-01"}, "date is not a YYYY-MM-DD date"),
        ({"time": "1\u0660:00:00"}, "time is not a HH:MM:SS time"),
        ({"time": "10:00"}, "time is not a HH:MM:SS time"),
        ({"sc_bytes": "\u0661\u0662"}, "sc-bytes is not a whole number in range"),
        ({"cs_bytes": "\u00b2"}, "cs-bytes is not a whole number in range"),
        ({"sc_range_start": "\u00b2"}, "sc-range-start is not a whole number in range"),
        ({"sc_content_len": "\u0663"}, "sc-content-len is not a whole number in range"),
        ({"sc_status": "\u0662\u0660\u0660"}, "sc-status is not a 3-digit status code"),
    ],
)
def test_dates_times_and_numbers_must_be_plain_ascii_in_range(
    values, reason, tmp_path, ingest_logs, fetch
):
    write(tmp_path / "a.gz", altered(1, **values), altered(2))
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (1, 0, 1)
    assert fetch("select reason from quarantine") == [(reason,)]


def test_retention_and_loading_cope_with_a_partition_of_any_name(
    tmp_path, migrated_db, ingest_logs, fetch
):
    # What an older edgelog left behind for a line dated 2024-W01-1.
    with psycopg.connect(migrated_db) as conn:
        conn.execute(
            "create table requests_2024w011 partition of requests "
            "for values from ('2024-01-01 00:00+00') to ('2024-01-02 00:00+00')"
        )
    write(tmp_path / "a.gz", altered(1), altered(2))
    assert ingest_logs(tmp_path).lines_loaded == 2
    assert fetch("select count(*) from requests_2024w011") == [(2,)]
    apply_retention(Settings.from_env({"EDGELOG_RETENTION_DAYS": "30"}), migrated_db)
    assert ("requests_2024w011",) not in fetch(PARTITIONS)
    assert fetch("select count(*) from requests") == [(0,)]


def test_a_quarantined_line_holding_nul_bytes_does_not_fail_its_object(
    tmp_path, ingest_logs, fetch
):
    write(tmp_path / "a.gz", altered(1, sc_status="2\x0000"), altered(2))
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (1, 0, 1)
    ((raw,),) = fetch("select raw_line from quarantine")
    assert "\x00" not in raw and "\ufffd" in raw


def test_any_error_in_the_copier_fails_only_its_object_and_the_run_goes_on(
    tmp_path, ingest_logs, fetch, monkeypatch
):
    write(tmp_path / "a.gz", altered(1))
    write(tmp_path / "b.gz", altered(2))
    write(tmp_path / "c.gz", altered(3))
    finish = ledger.finish

    def finish_or_break(conn, object_id, counts):
        key = conn.execute("select key from ingest_ledger where id = %s", [object_id]).fetchone()
        if key[0].endswith("b.gz"):
            raise RuntimeError("not a database error")
        finish(conn, object_id, counts)

    monkeypatch.setattr(ledger, "finish", finish_or_break)
    result = {}
    run = threading.Thread(target=lambda: result.update(summary=ingest_logs(tmp_path)))
    run.start()
    run.join(timeout=60)
    assert not run.is_alive(), "the run waits forever for the copier"
    summary = result["summary"]
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (2, 1, 2)
    assert fetch("select key, status, error from ingest_ledger where status = 'failed'") == [
        (str(tmp_path / "b.gz"), "failed", "RuntimeError: not a database error")
    ]
