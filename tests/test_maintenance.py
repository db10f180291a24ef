"""`edgelog serve`'s daily maintenance: retention, pruning, statistics."""

import gzip
from datetime import date

import boto3
import psycopg
from logfiles import HEADER, line, write_log

from ingester.metrics.refresh import refresh
from ingester.service import apply_retention
from ingester.settings import Settings


def test_retention_drops_old_days_their_rollups_and_the_s3_ledger_rows_that_held_them(
    tmp_path, empty_bucket, migrated_db, ingest_logs, fetch
):
    s3 = boto3.session.Session().client("s3")
    for key, day, numbers in (
        ("old.gz", "2020-01-01", range(5)),
        ("new.gz", "2099-01-01", range(5, 9)),
    ):
        body = HEADER + "".join(line(n, day) + "\n" for n in numbers)
        s3.put_object(Bucket=empty_bucket, Key=key, Body=gzip.compress(body.encode()))
    write_log(tmp_path / "local-old.gz", range(20, 23), day="2020-01-02")
    ingest_logs(f"s3://{empty_bucket}/", tmp_path)
    refresh(migrated_db)
    apply_retention(Settings.from_env({"EDGELOG_RETENTION_DAYS": "30"}), migrated_db)
    assert fetch("select count(*) from requests")[0][0] == 4
    assert fetch("select distinct day from traffic_daily") == [(date(2099, 1, 1),)]
    # The S3 key is never listed again, so its row goes; a local file's stays (a directory
    # is listed whole, and the file would be loaded again).
    keys = sorted(key.rsplit("/", 1)[-1] for (key,) in fetch("select key from ingest_ledger"))
    assert keys == ["local-old.gz", "new.gz"]


def test_quarantined_lines_and_old_polls_are_pruned(tmp_path, migrated_db, ingest_logs, fetch):
    (tmp_path / "bad.gz").write_bytes(gzip.compress((HEADER + "not a line\n").encode()))
    ingest_logs(tmp_path)
    with psycopg.connect(migrated_db) as conn:
        conn.execute("update quarantine set created_at = now() - interval '100 days'")
        conn.execute(
            "insert into poll_log (source, started_at, finished_at, outcome, backfill)"
            " select 'x', t, t, 'ok', false from generate_series("
            " now() - interval '60 days', now() - interval '40 days', interval '1 day') t"
        )
    apply_retention(Settings.from_env({"EDGELOG_QUARANTINE_DAYS": "90"}), migrated_db)
    assert fetch("select count(*) from quarantine")[0][0] == 0
    assert fetch("select count(*) from poll_log")[0][0] == 1  # the newest is kept
