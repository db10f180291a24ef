"""`edgelog serve` backfills a new source on its first poll, then follows its recent keys."""

import gzip
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from logfiles import HEADER, line, write_log

from ingester.service import poll
from ingester.settings import Settings
from ingester.sources import s3


def settings(source: str, **extra: str) -> Settings:
    env = {"EDGELOG_SOURCE": source, "EDGELOG_WORKERS": "1", **extra}
    return Settings.from_env(env)


def put(bucket: str, hour: datetime, numbers) -> str:
    key = f"cf/E2EXAMPLE.{hour:%Y-%m-%d-%H}.{numbers[0]:08x}.gz"
    body = HEADER + "".join(line(n, f"{hour:%Y-%m-%d}") + "\n" for n in numbers)
    boto3.session.Session().client("s3").put_object(
        Bucket=bucket, Key=key, Body=gzip.compress(body.encode())
    )
    return key


@pytest.fixture
def list_calls(monkeypatch):
    """Counts the S3 list calls (each a real request to the test server), 3 keys a page."""
    calls = []
    real = s3.S3Source._list_page

    def counted(self, start_after, token):
        calls.append(start_after or token)
        return real(self, start_after, token)

    monkeypatch.setattr(s3, "PAGE_SIZE", 3)
    monkeypatch.setattr(s3.S3Source, "_list_page", counted)
    return calls


def requests(fetch) -> int:
    return fetch("select count(*) from requests")[0][0]


def test_a_directory_of_old_logs_is_loaded_whole_by_the_first_poll_and_every_poll_after(
    tmp_path, migrated_db, fetch
):
    # CloudFront-named files from long before any lookback: a directory is never filtered
    # by the dates in its file names.
    write_log(tmp_path / "E2EXAMPLE.2020-10-01-00.a1.gz", range(10), day="2020-10-01")
    poll(settings(str(tmp_path)), migrated_db)
    assert requests(fetch) == 10
    write_log(tmp_path / "E2EXAMPLE.2020-09-01-00.b2.gz", range(10, 15), day="2020-09-01")
    poll(settings(str(tmp_path)), migrated_db)
    assert requests(fetch) == 15
    assert fetch("select backfill, objects_loaded from poll_log order by id") == [
        (True, 1),
        (False, 1),
    ]


def test_a_month_of_old_objects_is_backfilled_then_polls_list_only_recent_keys(
    empty_bucket, migrated_db, fetch, list_calls
):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for day in range(30, 60):  # a month of history, all older than the lookback
        put(empty_bucket, now - timedelta(days=day), range(day * 10, day * 10 + 2))
    source = settings(f"s3://{empty_bucket}/cf/")
    poll(source, migrated_db)
    assert requests(fetch) == 60
    assert len(list_calls) >= 10  # the backfill listed every key

    put(empty_bucket, now - timedelta(hours=20), range(1000, 1003))  # a late delivery
    list_calls.clear()
    poll(source, migrated_db)
    assert requests(fetch) == 63
    follow_calls = len(list_calls)

    for day in range(60, 120):  # twice as much history: a poll lists no more
        put(empty_bucket, now - timedelta(days=day), range(day * 10, day * 10 + 2))
    list_calls.clear()
    poll(source, migrated_db)
    assert len(list_calls) == follow_calls <= 3
    assert requests(fetch) == 63  # old keys put after the backfill are out of the lookback


def test_a_late_object_is_loaded_once_and_a_duplicate_object_is_ignored(
    empty_bucket, migrated_db, fetch
):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    put(empty_bucket, now - timedelta(days=40), range(5))
    source = settings(f"s3://{empty_bucket}/cf/")
    poll(source, migrated_db)
    late = now - timedelta(hours=20)
    put(empty_bucket, late, range(100, 104))
    poll(source, migrated_db)
    poll(source, migrated_db)
    boto3.session.Session().client("s3").copy_object(  # the same requests delivered again
        Bucket=empty_bucket,
        Key=f"cf/E2EXAMPLE.{late:%Y-%m-%d-%H}.copy.gz",
        CopySource={"Bucket": empty_bucket, "Key": f"cf/E2EXAMPLE.{late:%Y-%m-%d-%H}.00000064.gz"},
    )
    poll(source, migrated_db)
    assert requests(fetch) == 9
    assert fetch("select sum(lines_duplicate) from ingest_ledger")[0][0] == 4


def test_backfill_since_starts_the_first_poll_at_that_day(empty_bucket, migrated_db, fetch):
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    put(empty_bucket, now - timedelta(days=50), range(5))
    put(empty_bucket, now - timedelta(days=10), range(5, 8))
    since = (now - timedelta(days=20)).date().isoformat()
    poll(settings(f"s3://{empty_bucket}/cf/", EDGELOG_BACKFILL_SINCE=since), migrated_db)
    assert requests(fetch) == 3
    # An earlier start later on backfills again, skipping what is loaded.
    poll(settings(f"s3://{empty_bucket}/cf/"), migrated_db)
    assert requests(fetch) == 8
