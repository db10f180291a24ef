"""Ingesting from S3 through a real S3 API over HTTP (moto's server on 127.0.0.1)."""

import gzip

import boto3
from logfiles import HEADER, line
from typer.testing import CliRunner

from ingester.cli import app


def put_log(bucket: str, key: str, numbers, day: str = "2024-05-01") -> None:
    body = gzip.compress((HEADER + "".join(line(n, day) + "\n" for n in numbers)).encode())
    boto3.session.Session().client("s3").put_object(Bucket=bucket, Key=key, Body=body)


def test_objects_under_a_prefix_load_once_and_a_corrupt_one_fails_alone(
    empty_bucket, ingest_logs, fetch
):
    put_log(empty_bucket, "cf/E2KG6TMBAL2PBU.2024-05-01-10.aaaa1111.gz", range(100))
    put_log(empty_bucket, "cf/E2KG6TMBAL2PBU.2024-05-01-11.bbbb2222.gz", range(100, 130))
    boto3.session.Session().client("s3").put_object(
        Bucket=empty_bucket, Key="cf/E2KG6TMBAL2PBU.2024-05-01-12.cccc3333.gz", Body=b"\x1f\x8bXX"
    )
    put_log(empty_bucket, "elsewhere/E9.2024-05-01-10.dddd4444.gz", range(500, 510))
    first = ingest_logs(f"s3://{empty_bucket}/cf/")
    assert (first.loaded, first.failed, first.lines_loaded) == (2, 1, 130)
    again = ingest_logs(f"s3://{empty_bucket}/cf/")
    assert (again.loaded, again.skipped, again.failed) == (0, 2, 1)
    assert fetch("select count(*) from requests") == [(130,)]
    ledger = fetch("select source, key, status, etag is not null from ingest_ledger order by key")
    assert ledger == [
        (f"s3://{empty_bucket}", "cf/E2KG6TMBAL2PBU.2024-05-01-10.aaaa1111.gz", "loaded", True),
        (f"s3://{empty_bucket}", "cf/E2KG6TMBAL2PBU.2024-05-01-11.bbbb2222.gz", "loaded", True),
        (f"s3://{empty_bucket}", "cf/E2KG6TMBAL2PBU.2024-05-01-12.cccc3333.gz", "failed", True),
    ]


def test_since_loads_only_objects_from_that_hour_on(empty_bucket, migrated_db, fetch):
    put_log(empty_bucket, "E1.2024-04-30-23.aaaa0001.gz", range(10), day="2024-04-30")
    put_log(empty_bucket, "E1.2024-05-01-00.aaaa0002.gz", range(10, 15))
    put_log(empty_bucket, "v2/E1/2024/05/01/03/part-1.gz", range(15, 17))
    result = CliRunner().invoke(
        app,
        ["ingest", f"s3://{empty_bucket}", "--since", "2024-05-01"],
        env={"DATABASE_URL": migrated_db},
    )
    assert result.exit_code == 0, result.output
    assert "objects: 2 loaded, 0 skipped, 0 failed" in result.output
    assert fetch("select count(*) from requests") == [(7,)]
