"""`edgelog serve` retries a failing object a few times, ever later, then leaves it failed."""

import gzip
from datetime import UTC, datetime, timedelta

import boto3
from logfiles import HEADER, line

from ingester.service import poll
from ingester.settings import Settings


def put(bucket: str, key: str, body: bytes) -> None:
    boto3.session.Session().client("s3").put_object(Bucket=bucket, Key=key, Body=body)


def good(hour: datetime, numbers) -> bytes:
    text = HEADER + "".join(line(n, f"{hour:%Y-%m-%d}") + "\n" for n in numbers)
    return gzip.compress(text.encode())


def corrupt() -> bytes:
    return gzip.compress((HEADER + line(1) + "\n").encode() * 50)[:60]  # cut short


def attempts(fetch, key: str) -> tuple:
    return fetch(
        "select status, attempts, retry_at > now() from ingest_ledger where key = %s", key
    )[0]


def make_due(fetch, key: str) -> None:
    fetch("update ingest_ledger set retry_at = now() - interval '1 second' where key = %s"
          " returning 1", key)  # fmt: skip


def test_a_failing_object_is_retried_with_backoff_then_left_failed_without_blocking_others(
    empty_bucket, migrated_db, fetch
):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    bad_key = f"cf/E2EXAMPLE.{hour:%Y-%m-%d-%H}.bad.gz"
    put(empty_bucket, bad_key, corrupt())
    put(empty_bucket, f"cf/E2EXAMPLE.{hour:%Y-%m-%d-%H}.good.gz", good(hour, range(10)))
    settings = Settings.from_env({
        "EDGELOG_SOURCE": f"s3://{empty_bucket}/cf/", "EDGELOG_WORKERS": "1",
        "EDGELOG_MAX_ATTEMPTS": "2",
    })  # fmt: skip
    poll(settings, migrated_db)
    assert fetch("select count(*) from requests")[0][0] == 10  # the object behind it loaded
    assert attempts(fetch, bad_key) == ("failed", 1, True)
    poll(settings, migrated_db)  # not due yet: not tried
    assert attempts(fetch, bad_key) == ("failed", 1, True)
    make_due(fetch, bad_key)
    poll(settings, migrated_db)
    assert attempts(fetch, bad_key) == ("failed", 2, True)
    retry_minutes = fetch(
        "select extract(epoch from retry_at - finished_at) / 60 from ingest_ledger where key = %s",
        bad_key,
    )[0][0]
    assert 3.9 < retry_minutes < 4.1  # waits four times longer after each failure
    make_due(fetch, bad_key)
    poll(settings, migrated_db)  # two attempts were all it had
    assert attempts(fetch, bad_key)[:2] == ("failed", 2)
    assert fetch("select outcome from poll_log order by id") == [("ok",)] * 4


def test_a_failed_object_older_than_the_lookback_is_retried_by_its_key(
    empty_bucket, migrated_db, fetch
):
    old = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    key = f"cf/E2EXAMPLE.{old:%Y-%m-%d-%H}.late.gz"
    put(empty_bucket, key, corrupt())
    settings = Settings.from_env(
        {"EDGELOG_SOURCE": f"s3://{empty_bucket}/cf/", "EDGELOG_WORKERS": "1"}
    )
    poll(settings, migrated_db)  # the backfill lists it, and it fails
    assert attempts(fetch, key)[:2] == ("failed", 1)
    put(empty_bucket, key, good(old, range(5)))  # repaired in place
    make_due(fetch, key)
    poll(settings, migrated_db)  # a follow poll, which does not list 20 days back
    assert fetch("select status from ingest_ledger where key = %s", key) == [("loaded",)]
    assert fetch("select count(*) from requests")[0][0] == 5
