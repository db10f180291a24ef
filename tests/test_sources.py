"""Log sources against real parts: files under tmp_path, and S3 over HTTP from moto's server."""

from __future__ import annotations

import gzip
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from ingester.logs.reader import text_lines
from ingester.sources import ObjectRef, SourceError, open_source
from ingester.sources import s3 as s3_module
from ingester.sources.keydates import DAY, HOUR, key_date
from ingester.sources.local import LocalSource
from ingester.sources.s3 import S3Source, parse_s3_url

# --- key dates


def test_key_date_reads_legacy_names():
    dated = key_date("logs/E2ABC.2024-03-05-07.a1b2c3d4.gz")
    assert dated is not None
    assert (dated.start, dated.span, dated.before) == (
        datetime(2024, 3, 5, 7, tzinfo=UTC),
        HOUR,
        "logs/E2ABC.",
    )
    assert dated.resume_after(datetime(2024, 3, 6, 9, 30, tzinfo=UTC)) == "logs/E2ABC.2024-03-06-09"


def test_key_date_reads_path_partitions_with_and_without_hour():
    hourly = key_date("v2/E2ABC/2024/03/05/07/E2ABC.2024-03-05-07.x.gz")
    assert hourly is not None
    assert (hourly.start, hourly.span, hourly.before) == (
        datetime(2024, 3, 5, 7, tzinfo=UTC),
        HOUR,
        "v2/E2ABC/",
    )
    assert hourly.resume_after(datetime(2024, 3, 6, 9, tzinfo=UTC)) == "v2/E2ABC/2024/03/06/09"
    daily = key_date("2024/03/05/part-0.gz")
    assert daily is not None
    assert (daily.start, daily.span, daily.before) == (datetime(2024, 3, 5, tzinfo=UTC), DAY, "")
    assert daily.resume_after(datetime(2024, 3, 6, 9, tzinfo=UTC)) == "2024/03/06"


def test_key_date_reads_hive_partitions():
    dated = key_date("v2/DistributionId=E2ABC/year=2024/month=03/day=05/hour=07/f.parquet")
    assert dated is not None
    assert (dated.start, dated.span, dated.before) == (
        datetime(2024, 3, 5, 7, tzinfo=UTC),
        HOUR,
        "v2/DistributionId=E2ABC/",
    )
    assert (
        dated.resume_after(datetime(2024, 3, 6, 9, tzinfo=UTC))
        == "v2/DistributionId=E2ABC/year=2024/month=03/day=06/hour=09"
    )


def test_key_date_takes_the_first_date_and_ignores_impossible_ones():
    dated = key_date("x/1234/56/78/2024/03/05/07/E2ABC.2024-03-05-08.x.gz")
    assert dated is not None
    assert (dated.start, dated.before) == (datetime(2024, 3, 5, 7, tzinfo=UTC), "x/1234/56/78/")
    assert key_date("logs/E2ABC.2024-13-05-07.x.gz") is None
    assert key_date("logs/README.txt") is None
    assert key_date("logs/build2024/03/05/x") is None  # digits inside a name are no partition


def test_key_date_compares_by_whole_periods_in_utc():
    dated = key_date("E2ABC.2024-03-05-10.x.gz")
    assert dated is not None
    assert not dated.is_older_than(datetime(2024, 3, 5, 10, 30, tzinfo=UTC))  # still has 10:30+
    assert dated.is_older_than(datetime(2024, 3, 5, 11, tzinfo=UTC))
    plus_two = timezone(timedelta(hours=2))
    assert not dated.is_older_than(datetime(2024, 3, 5, 12, 59, tzinfo=plus_two))
    assert dated.resume_after(datetime(2024, 3, 5, 13, tzinfo=plus_two)) == "E2ABC.2024-03-05-11"
    with pytest.raises(ValueError, match="timezone-aware"):
        dated.is_older_than(datetime(2024, 3, 5, 11))


# --- local files


def _write(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _keys(refs) -> list[str]:
    return [ref.key for ref in refs]


def test_local_source_takes_files_directories_and_globs_sorted_without_duplicates(tmp_path):
    one = _write(tmp_path / "a" / "E1.2024-03-05-07.x.gz", b"12345")
    two = _write(tmp_path / "a" / "deep" / "er" / "E1.2024-03-05-08.y.gz")
    three = _write(tmp_path / "b" / "access.log")
    _write(tmp_path / "a" / ".hidden.gz")
    _write(tmp_path / "a" / ".git" / "objects" / "pack")
    source = LocalSource([str(three), str(tmp_path / "a"), str(tmp_path / "**" / "*.gz")])
    refs = list(source.list())
    assert _keys(refs) == sorted(str(path.resolve()) for path in (one, two, three))
    etag = f"{one.stat().st_mtime_ns:x}-5"  # modification time and size
    assert refs[0] == ObjectRef(source="file", key=str(one.resolve()), size=5, etag=etag)


def test_local_source_resolves_relative_paths(tmp_path, monkeypatch):
    log = _write(tmp_path / "logs" / "one.log")
    monkeypatch.chdir(tmp_path)
    assert _keys(LocalSource(["logs"]).list()) == [str(log.resolve())]


def test_local_source_refuses_a_pattern_that_matches_nothing(tmp_path):
    _write(tmp_path / "one.log")
    with pytest.raises(SourceError, match=r"no such file or directory: .*missing\.log"):
        LocalSource([str(tmp_path / "one.log"), str(tmp_path / "missing.log")])
    with pytest.raises(SourceError, match=r"no files match .*\*\.gz"):
        LocalSource([str(tmp_path / "*.gz")])


def test_local_source_accepts_an_empty_directory(tmp_path):
    assert list(LocalSource([str(tmp_path)]).list()) == []


def test_local_source_since_skips_older_hours_and_keeps_undated_files(tmp_path):
    for name in ("E1.2024-03-05-06.a.gz", "E1.2024-03-05-07.b.gz", "E1.2024-03-05-08.c.gz"):
        _write(tmp_path / name)
    _write(tmp_path / "notes.log")
    since = datetime(2024, 3, 5, 7, 45, tzinfo=UTC)
    names = [Path(key).name for key in _keys(LocalSource([str(tmp_path)]).list(since))]
    assert names == ["E1.2024-03-05-07.b.gz", "E1.2024-03-05-08.c.gz", "notes.log"]


def test_local_fetch_reads_files_and_reports_unreadable_ones(tmp_path):
    _write(tmp_path / "1.log", b"first")
    gone = _write(tmp_path / "2.log", b"gone")
    _write(tmp_path / "3.log", b"last")
    source = LocalSource([str(tmp_path)])
    refs = list(source.list())
    gone.unlink()
    fetched = list(source.fetch(refs))
    assert [item.ref for item in fetched] == refs
    assert fetched[1].stream is None and fetched[1].error == "No such file or directory"
    for item, expected in ((fetched[0], b"first"), (fetched[2], b"last")):
        with item.stream as stream:
            assert stream.read() == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_local_fetch_reports_a_file_without_read_permission(tmp_path):
    locked = _write(tmp_path / "locked.log")
    locked.chmod(0)
    [item] = LocalSource([str(locked)]).fetch(LocalSource([str(locked)]).list())
    assert item.stream is None and item.error == "Permission denied"


# --- S3


@pytest.fixture(scope="module")
def s3(s3_endpoint):
    """A plain client of the test endpoint, to set up and change buckets behind a source."""
    return boto3.session.Session().client("s3")


def _put(s3, bucket: str, keys) -> None:
    """Upload `keys`, each with its own name as content."""

    def put(key: str) -> None:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, keys))


class _ListingSpy:
    """Counts ListObjectsV2 requests and remembers every key S3 returned."""

    def __init__(self, client) -> None:
        self.requests = 0
        self.listed: list[str] = []
        client.meta.events.register("before-call.s3.ListObjectsV2", self._before)
        client.meta.events.register("after-call.s3.ListObjectsV2", self._after)

    def _before(self, **_) -> None:
        self.requests += 1

    def _after(self, parsed, **_) -> None:
        self.listed += [obj["Key"] for obj in parsed.get("Contents", [])]


def test_parse_s3_url_splits_bucket_and_prefix():
    assert parse_s3_url("s3://logs") == ("logs", "")
    assert parse_s3_url("s3://logs/cf/E1.") == ("logs", "cf/E1.")
    with pytest.raises(SourceError, match="no bucket"):
        parse_s3_url("s3:///cf")


def test_open_source_picks_the_source_by_location(tmp_path):
    assert isinstance(open_source("s3://bucket/prefix", concurrency=3), S3Source)
    assert isinstance(open_source(str(tmp_path), concurrency=3), LocalSource)
    with pytest.raises(SourceError, match="only s3://"):
        open_source("https://example.invalid/logs", concurrency=3)


def test_s3_client_is_made_lazily_with_standard_retries_and_the_env_endpoint(s3_endpoint):
    source = S3Source("s3://bucket/prefix", concurrency=20)
    assert source._client is None
    client = source.client
    assert client is source.client
    assert client.meta.endpoint_url == s3_endpoint
    # botocore counts Config's max_attempts as retries: 5 retries are 6 attempts in all.
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 6}
    assert client.meta.config.max_pool_connections >= 20


def test_s3_list_pages_through_the_prefix_and_skips_folder_markers(s3, empty_bucket):
    keys = [f"cf/E1.2024-03-05-{hour:02}.x.gz" for hour in range(7)]
    _put(s3, empty_bucket, [*keys, "cf/", "cf/sub/", "other/E1.2024-03-05-00.x.gz"])
    source = S3Source(f"s3://{empty_bucket}/cf/", page_size=3)
    spy = _ListingSpy(source.client)
    refs = list(source.list())
    assert _keys(refs) == keys
    assert spy.requests == 3  # 9 keys under cf/ (markers included), 3 per page


def test_s3_refs_carry_bucket_size_and_unquoted_etag(s3, empty_bucket):
    s3.put_object(Bucket=empty_bucket, Key="cf/one.gz", Body=b"hello")
    [ref] = S3Source(f"s3://{empty_bucket}/cf/").list()
    head = s3.head_object(Bucket=empty_bucket, Key="cf/one.gz")
    assert ref == ObjectRef(
        source=f"s3://{empty_bucket}", key="cf/one.gz", size=5, etag=head["ETag"].strip('"')
    )
    assert '"' not in ref.etag


def test_s3_list_of_a_missing_bucket_is_a_source_error(s3_endpoint):
    with pytest.raises(SourceError, match="cannot list s3://no-such-bucket-here/x: NoSuchBucket"):
        list(S3Source("s3://no-such-bucket-here/x").list())


DISTRIBUTIONS = ("E1AAAA", "E2BBBB", "E3CCCC")
START = datetime(2024, 3, 5, 0, tzinfo=UTC)
HOURS = 16
SINCE = START + timedelta(hours=13, minutes=15)  # keeps hours 13..15 of every distribution


def _hours():
    return [START + timedelta(hours=offset) for offset in range(HOURS)]


LAYOUTS = {
    "legacy": lambda dist, hour: f"cf/{dist}.{hour:%Y-%m-%d-%H}.abc123.gz",
    "path": lambda dist, hour: f"cf/{dist}/{hour:%Y/%m/%d/%H}/{dist}.{hour:%Y-%m-%d-%H}.u.gz",
    "hive": lambda dist, hour: (
        f"cf/DistributionId={dist}/year={hour:%Y}/month={hour:%m}/day={hour:%d}/"
        f"hour={hour:%H}/part-0.gz"
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_since_skips_older_keys_without_listing_them(s3, empty_bucket, layout):
    name = LAYOUTS[layout]
    dated = {(dist, hour): name(dist, hour) for dist in DISTRIBUTIONS for hour in _hours()}
    undated = ["cf/README.txt", "cf/manifest.json"]
    _put(s3, empty_bucket, [*dated.values(), *undated])
    source = S3Source(f"s3://{empty_bucket}/cf/", page_size=3)
    spy = _ListingSpy(source.client)

    keys = _keys(source.list(since=SINCE))

    wanted = [key for (_, hour), key in dated.items() if hour + HOUR > SINCE]
    assert len(wanted) == 3 * len(DISTRIBUTIONS)
    assert keys == sorted(wanted + undated)
    # Paging through all 50 keys takes 17 requests. The skip-scan reads one page into each
    # distribution's old keys, jumps past them, and pages through the new ones.
    old_listed = [key for key in spy.listed if key in dated.values() and key not in wanted]
    assert len(old_listed) <= 3 * len(DISTRIBUTIONS)
    assert spy.requests <= 2 * len(DISTRIBUTIONS) + 1


def test_since_without_any_newer_keys_lists_only_the_undated(s3, empty_bucket):
    old = [LAYOUTS["legacy"](dist, hour) for dist in DISTRIBUTIONS for hour in _hours()]
    _put(s3, empty_bucket, [*old, "cf/zz-notes.txt"])
    source = S3Source(f"s3://{empty_bucket}/cf/", page_size=4)
    spy = _ListingSpy(source.client)
    keys = _keys(source.list(since=START + timedelta(days=30)))
    assert keys == ["cf/zz-notes.txt"]
    assert spy.requests <= 2 * len(DISTRIBUTIONS) + 1


def _bodies(fetched) -> list[bytes | None]:
    out = []
    for item in fetched:
        if item.stream is None:
            out.append(None)
            continue
        with item.stream as stream:
            out.append(stream.read())
    return out


def test_s3_fetch_keeps_the_order_of_refs(s3, empty_bucket):
    _put(s3, empty_bucket, [f"cf/{index:03}.log" for index in range(20)])
    source = S3Source(f"s3://{empty_bucket}/cf/", concurrency=4)
    refs = list(reversed(list(source.list())))
    fetched = list(source.fetch(refs))
    assert [item.ref for item in fetched] == refs
    assert _bodies(fetched) == [ref.key.encode() for ref in refs]


class _SlowGetObject:
    """Wraps a client's get_object to count the calls in flight at once."""

    def __init__(self, client, delay: float = 0.1) -> None:
        self._get_object = client.get_object
        self._delay = delay
        self._lock = threading.Lock()
        self.running = 0
        self.most = 0
        client.get_object = self

    def __call__(self, **params):
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self._delay)  # long enough for every free worker to get here too
            return self._get_object(**params)
        finally:
            with self._lock:
                self.running -= 1


def test_s3_fetch_runs_at_most_concurrency_downloads_at_once(s3, empty_bucket):
    _put(s3, empty_bucket, [f"cf/{index:02}.log" for index in range(12)])
    source = S3Source(f"s3://{empty_bucket}/cf/", concurrency=3)
    spy = _SlowGetObject(source.client)
    fetched = list(source.fetch(source.list()))
    assert len(fetched) == 12 and all(item.error is None for item in fetched)
    assert spy.most == 3
    _bodies(fetched)


def test_s3_fetch_reads_refs_only_a_little_ahead(s3, empty_bucket):
    _put(s3, empty_bucket, ["cf/one.log"])
    source = S3Source(f"s3://{empty_bucket}/cf/", concurrency=2)
    [ref] = source.list()
    taken = 0

    def endless():
        nonlocal taken
        while True:
            taken += 1
            yield ref

    fetched = source.fetch(endless())
    _bodies([next(fetched), next(fetched)])
    fetched.close()
    assert taken <= 2 + 2  # two handed out, at most `concurrency` more started


def test_s3_fetch_reports_a_vanished_object_and_fetches_the_rest(s3, empty_bucket):
    _put(s3, empty_bucket, [f"cf/{index}.log" for index in range(5)])
    source = S3Source(f"s3://{empty_bucket}/cf/", concurrency=2)
    refs = list(source.list())
    s3.delete_object(Bucket=empty_bucket, Key="cf/2.log")
    fetched = list(source.fetch(refs))
    assert [item.ref for item in fetched] == refs
    assert fetched[2].stream is None and fetched[2].error.startswith("NoSuchKey")
    assert _bodies(fetched) == [b"cf/0.log", b"cf/1.log", None, b"cf/3.log", b"cf/4.log"]


def test_s3_fetch_refuses_an_object_changed_since_it_was_listed(s3, empty_bucket):
    s3.put_object(Bucket=empty_bucket, Key="cf/one.log", Body=b"old")
    source = S3Source(f"s3://{empty_bucket}/cf/")
    [ref] = source.list()
    s3.put_object(Bucket=empty_bucket, Key="cf/one.log", Body=b"new")
    [item] = source.fetch([ref])
    assert item.stream is None and item.error.startswith("PreconditionFailed")


def test_s3_fetch_reports_connection_errors_per_object(s3_endpoint):
    # A port nobody listens on: the connection is refused at once.
    unreachable = boto3.session.Session().client(
        "s3",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )
    source = S3Source("s3://bucket/cf/", client=unreachable)
    refs = [ObjectRef("s3://bucket", f"cf/{index}.log", 1, "e") for index in range(2)]
    fetched = list(source.fetch(refs))
    assert [item.stream for item in fetched] == [None, None]
    assert all("Could not connect" in item.error for item in fetched)


def test_s3_fetch_spills_large_objects_to_disk(s3, empty_bucket):
    big = os.urandom(1024) * (s3_module.SPOOL_MAX_BYTES // 1024 + 64)
    s3.put_object(Bucket=empty_bucket, Key="cf/big.log", Body=big)
    s3.put_object(Bucket=empty_bucket, Key="cf/small.log", Body=b"small")
    source = S3Source(f"s3://{empty_bucket}/cf/")
    big_item, small_item = source.fetch(source.list())
    with big_item.stream as stream:
        assert stream._rolled  # on disk, not in memory
        assert stream.tell() == 0
        assert stream.read() == big
    with small_item.stream as stream:
        assert not stream._rolled
        assert stream.read() == b"small"


def test_s3_fetch_closed_early_leaves_no_threads_or_temp_files(s3, empty_bucket, monkeypatch):
    _put(s3, empty_bucket, [f"cf/{index:02}.log" for index in range(10)])
    spools = []

    class TrackedSpool(tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # moto's server spools objects too; only the downloads' own spools count here.
            if threading.current_thread().name.startswith("edgelog-s3"):
                spools.append(self)

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", TrackedSpool)
    source = S3Source(f"s3://{empty_bucket}/cf/", concurrency=4)
    fetched = source.fetch(source.list())
    first = next(fetched)
    fetched.close()
    first.stream.close()
    assert len(spools) >= 2  # downloads had started beyond the one handed out
    assert all(spool.closed for spool in spools)
    assert not [t for t in threading.enumerate() if t.name.startswith("edgelog-s3")]


def test_s3_fetched_streams_feed_the_log_reader(s3, empty_bucket):
    body = gzip.compress(b"a\nb\n")
    s3.put_object(Bucket=empty_bucket, Key="cf/E1.2024-03-05-07.a.gz", Body=body)
    source = S3Source(f"s3://{empty_bucket}/cf/")
    [item] = source.fetch(source.list())
    with item.stream as stream:
        assert list(text_lines(stream)) == ["a", "b"]
