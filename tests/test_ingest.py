"""Loading exactly once: re-runs, duplicates, bad objects and a killed loader."""

import gzip
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from logfiles import HEADER, line, write_log
from typer.testing import CliRunner

from ingester.cli import app


def test_rerunning_the_same_input_adds_nothing(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", range(100))
    write_log(tmp_path / "b.gz", range(100, 150))
    first = ingest_logs(tmp_path)
    second = ingest_logs(tmp_path)
    assert (first.loaded, first.lines_loaded) == (2, 150)
    assert (second.loaded, second.skipped, second.lines_read) == (0, 2, 0)
    assert fetch("select count(*) from requests") == [(150,)]


def test_a_line_delivered_in_two_files_is_stored_once(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", range(100))
    write_log(tmp_path / "b.gz", range(60, 160))
    summary = ingest_logs(tmp_path)
    assert (summary.lines_read, summary.lines_loaded, summary.lines_duplicate) == (200, 160, 40)
    assert fetch("select count(*), count(distinct request_key) from requests") == [(160, 160)]
    assert fetch("select key, lines_loaded, lines_duplicate from ingest_ledger order by key") == [
        (str(tmp_path / "a.gz"), 100, 0),
        (str(tmp_path / "b.gz"), 60, 40),
    ]


def test_a_line_repeated_within_one_file_is_stored_once(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", [*range(30), 5, 7, *range(25_000, 25_010), 7])
    summary = ingest_logs(tmp_path)
    assert (summary.lines_loaded, summary.lines_duplicate) == (40, 3)
    assert fetch("select count(*) from requests") == [(40,)]


def test_a_changed_object_is_loaded_again_without_double_counting(tmp_path, ingest_logs, fetch):
    log = write_log(tmp_path / "a.gz", range(50))
    ingest_logs(log)
    write_log(log, range(80))  # the same name now holds more lines
    again = ingest_logs(log)
    assert (again.loaded, again.lines_loaded, again.lines_duplicate) == (1, 30, 50)
    assert fetch("select count(*) from requests") == [(80,)]


def test_a_corrupt_gzip_fails_alone_and_the_other_objects_load(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", range(100))
    broken = gzip.compress((HEADER + "".join(line(n) + "\n" for n in range(100, 400))).encode())
    (tmp_path / "b.gz").write_bytes(broken[: len(broken) // 2])
    write_log(tmp_path / "c.gz", range(400, 450))
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed) == (2, 1)
    assert fetch("select count(*) from requests") == [(150,)]
    ((status, error, loaded),) = fetch(
        "select status, error, lines_loaded from ingest_ledger where key like '%b.gz'"
    )
    assert (status, loaded) == ("failed", 0)
    assert "EOFError" in error and "end-of-stream" in error


def test_a_failed_object_is_retried_by_the_next_run(tmp_path, ingest_logs, fetch):
    good = gzip.compress((HEADER + line(1) + "\n").encode())
    (tmp_path / "a.gz").write_bytes(good[:20])
    assert ingest_logs(tmp_path).failed == 1
    (tmp_path / "a.gz").write_bytes(good)
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.failed, summary.lines_loaded) == (1, 0, 1)
    assert fetch("select status, error from ingest_ledger") == [("loaded", None)]


def test_new_days_get_partitions_on_demand(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", range(10), day="2024-02-28")
    write_log(tmp_path / "b.gz", range(10, 20), day="2024-02-29")
    ingest_logs(tmp_path)
    partitions = fetch(
        "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
        "where i.inhparent = 'requests'::regclass order by 1"
    )
    today = datetime.now(UTC).date()
    ahead = [(f"requests_{day:%Y%m%d}",) for day in (today, today + timedelta(days=1))]
    assert partitions == [("requests_20240228",), ("requests_20240229",), *ahead]
    assert fetch("select days from ingest_ledger order by key")[1][0][0].isoformat() == "2024-02-29"


def test_the_cli_prints_a_summary_and_exits_1_when_an_object_failed(tmp_path, migrated_db):
    write_log(tmp_path / "a.gz", range(20))
    (tmp_path / "b.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)], env={"DATABASE_URL": migrated_db})
    assert result.exit_code == 1, result.output
    assert "objects: 1 loaded, 0 skipped, 1 failed" in result.output
    assert "lines:   20 loaded, 0 duplicate, 0 quarantined (20 read)" in result.output
    assert "lines/s" in result.output
    assert f"failed:  {tmp_path / 'b.gz'}" in result.output


def test_the_cli_refuses_a_database_that_is_not_migrated(tmp_path, empty_db):
    write_log(tmp_path / "a.gz", range(2))
    result = CliRunner().invoke(app, ["ingest", str(tmp_path)], env={"DATABASE_URL": empty_db})
    assert result.exit_code == 2
    assert "run `edgelog db upgrade`" in result.output


def test_a_missing_path_is_a_clear_error(tmp_path, migrated_db):
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "nope")], env={"DATABASE_URL": migrated_db}
    )
    assert result.exit_code == 2
    assert f"no such file or directory: {tmp_path / 'nope'}" in result.output


def _copying(url: str) -> bool:
    with psycopg.connect(url) as conn:
        return bool(conn.execute("select count(*) from pg_stat_progress_copy").fetchone()[0])


def test_a_loader_killed_mid_file_leaves_nothing_and_the_next_run_loads_it_all(
    tmp_path, migrated_db, ingest_logs, fetch
):
    lines = 150_000
    write_log(tmp_path / "big.gz", range(lines))
    env = {**os.environ, "DATABASE_URL": migrated_db, "EDGELOG_LOG_LEVEL": "warning"}
    loader = subprocess.Popen(
        [sys.executable, "-m", "ingester", "ingest", str(tmp_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not _copying(migrated_db):
        assert loader.poll() is None, "the loader finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    assert fetch("select count(*) from requests") == [(0,)]
    assert fetch("select count(*) from ingest_ledger") == [(0,)]
    summary = ingest_logs(tmp_path)
    assert (summary.loaded, summary.lines_loaded, summary.lines_duplicate) == (1, lines, 0)
    assert fetch("select count(*) from requests") == [(lines,)]


@pytest.mark.parametrize("shape", ["directory and file", "file and glob", "file and symlink"])
def test_an_object_named_by_two_locations_is_loaded_once(shape, tmp_path, ingest_logs, fetch):
    log = write_log(tmp_path / "a.gz", range(20))
    write_log(tmp_path / "b.gz", range(20, 30))
    (tmp_path / "link.gz").symlink_to(log)
    locations = {
        "directory and file": [tmp_path, log],
        "file and glob": [log, tmp_path / "*.gz"],
        "file and symlink": [tmp_path / "link.gz", log, tmp_path / "b.gz"],
    }[shape]
    summary = ingest_logs(*locations, workers="2")
    assert (summary.loaded, summary.failed, summary.lines_read) == (2, 0, 30)
    assert fetch("select count(*) from ingest_ledger") == [(2,)]


def _plain_log(path, numbers, modified_ns: int):
    """An uncompressed log, so that other lines of the same widths give the same size."""
    path.write_text(HEADER + "".join(line(n) + "\n" for n in numbers))
    os.utime(path, ns=(modified_ns, modified_ns))
    return path


def test_a_local_file_rewritten_with_the_same_size_is_loaded_again(tmp_path, ingest_logs, fetch):
    log = _plain_log(tmp_path / "a.log", range(10, 20), modified_ns=1_700_000_000_000_000_000)
    ingest_logs(log)
    size = log.stat().st_size
    _plain_log(log, range(20, 30), modified_ns=1_700_000_100_000_000_000)
    assert log.stat().st_size == size
    again = ingest_logs(log)
    assert (again.loaded, again.skipped, again.lines_loaded) == (1, 0, 10)
    assert fetch("select count(*) from requests") == [(20,)]


def test_a_local_file_touched_or_copied_with_the_same_content_is_not_loaded_again(
    tmp_path, ingest_logs, fetch
):
    log = _plain_log(tmp_path / "a.log", range(10), modified_ns=1_700_000_000_000_000_000)
    ingest_logs(log)
    os.utime(log, ns=(1_700_000_100_000_000_000,) * 2)
    touched = ingest_logs(log)
    assert (touched.loaded, touched.skipped, touched.lines_read) == (0, 1, 0)
    # The ledger now knows the new modification time: no need to read the file again.
    ((etag,),) = fetch("select etag from ingest_ledger")
    assert etag.startswith(f"{1_700_000_100_000_000_000:x}-")
