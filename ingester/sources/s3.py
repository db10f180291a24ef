"""Log objects in an S3 bucket, under a key prefix.

Credentials and endpoints come only from boto3's own chain (environment, shared config,
instance or container roles; `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_S3` for S3-compatible
stores): edgelog never reads or stores keys itself.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ingester.sources import Fetched, ObjectRef, SourceError
from ingester.sources.keydates import as_utc, key_date

# A download stays in memory up to this size, then moves to a temporary file, so memory
# stays bounded however many objects are in flight and however large they are.
SPOOL_MAX_BYTES = 16 * 1024 * 1024
_COPY_CHUNK = 1024 * 1024
# botocore's standard retry mode: throttling and 5xx answers are retried with backoff.
RETRIES = {"mode": "standard", "max_attempts": 5}
PAGE_SIZE = 1000  # keys per list call, S3's most


def parse_s3_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket/prefix`; the prefix may be empty."""
    if not url.startswith("s3://"):
        raise SourceError(f"not an s3:// URL: {url}")
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not bucket:
        raise SourceError(f"no bucket in {url} (expected s3://bucket/prefix)")
    return bucket, prefix


class S3Source:
    """Objects under `s3://bucket/prefix`, listed by date and downloaded in parallel."""

    def __init__(
        self, url: str, *, concurrency: int = 8, client: Any = None, page_size: int | None = None
    ) -> None:
        page_size = PAGE_SIZE if page_size is None else page_size
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        if not 1 <= page_size <= 1000:
            raise ValueError(f"page_size must be between 1 and 1000, got {page_size}")
        self.bucket, self.prefix = parse_s3_url(url)
        self.name = f"s3://{self.bucket}"
        self.concurrency = concurrency
        self.page_size = page_size
        self._client = client
        self._client_lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The S3 client, made on first use (boto3 clients are safe to share across threads;
        making one is not, hence the lock)."""
        with self._client_lock:
            if self._client is None:
                config = Config(
                    retries=RETRIES,
                    # One connection per download in flight, plus one for listing.
                    max_pool_connections=max(10, self.concurrency + 1),
                )
                self._client = boto3.session.Session().client("s3", config=config)
        return self._client

    def list(self, since: datetime | None = None) -> Iterator[ObjectRef]:
        """Objects in key order; with `since`, keys dated before its hour are skipped
        without being listed, by restarting the listing past them (see keydates)."""
        since = as_utc(since) if since is not None else None
        start_after: str | None = None
        token: str | None = None
        while True:
            page = self._list_page(start_after, token)
            contents = page.get("Contents", [])
            skip_to: str | None = None  # every key up to this one is known to be too old
            for obj in contents:
                key = obj["Key"]
                if key.endswith("/") or (skip_to is not None and key <= skip_to):
                    continue  # a folder marker, or inside a stretch of old keys
                dated = key_date(key) if since is not None else None
                if dated is not None and dated.is_older_than(since):
                    skip_to = dated.resume_after(since)
                    continue
                yield self._ref(obj)
            if not page.get("IsTruncated"):
                return
            if skip_to is not None and skip_to >= contents[-1]["Key"]:
                start_after, token = skip_to, None  # the skip-scan: jump instead of paging
            else:
                start_after, token = None, page["NextContinuationToken"]

    def fetch(self, refs: Iterable[ObjectRef]) -> Iterator[Fetched]:
        """Downloads, at most `concurrency` at once, yielded in the order of `refs`."""
        client = self.client
        pending: deque[Future[Fetched]] = deque()
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="edgelog-s3")
        try:
            for ref in refs:
                pending.append(pool.submit(self._download, client, ref))
                # Read ahead no further than the downloads that can run: refs may be endless,
                # and finished downloads wait (in memory or on disk) until they are yielded.
                if len(pending) >= self.concurrency:
                    yield _next_done(pending)
            while pending:
                yield _next_done(pending)
        finally:
            # Reached when done, and when the caller stops early or the generator is dropped:
            # wait for the running downloads and throw away what nobody will read.
            pool.shutdown(wait=True, cancel_futures=True)
            for future in pending:
                _discard(future)

    def digest(self, ref: ObjectRef) -> bytes | None:
        return None  # S3's ETag changes with the content and only then

    def _list_page(self, start_after: str | None, token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix}
        params["MaxKeys"] = self.page_size
        if token is not None:
            params["ContinuationToken"] = token
        elif start_after is not None:
            params["StartAfter"] = start_after
        try:
            return self.client.list_objects_v2(**params)
        except (ClientError, BotoCoreError) as exc:
            where = f"s3://{self.bucket}/{self.prefix}"
            raise SourceError(f"cannot list {where}: {_describe(exc)}") from exc

    def _ref(self, obj: dict[str, Any]) -> ObjectRef:
        etag = obj.get("ETag")
        return ObjectRef(
            source=self.name,
            key=obj["Key"],
            size=obj.get("Size"),
            etag=etag.strip('"') if etag else None,
        )

    def _download(self, client: Any, ref: ObjectRef) -> Fetched:
        if ref.source != self.name:
            return Fetched(ref, None, error=f"not an object of {self.name}")
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
        try:
            # If-Match: the bytes must be the version that was listed, or the ledger would
            # record this ETag against other content.
            condition = {"IfMatch": f'"{ref.etag}"'} if ref.etag else {}
            response = client.get_object(Bucket=self.bucket, Key=ref.key, **condition)
            with closing(response["Body"]) as body:
                shutil.copyfileobj(body, spool, _COPY_CHUNK)
        except (ClientError, BotoCoreError, OSError) as exc:
            spool.close()
            return Fetched(ref, None, error=_describe(exc))
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return Fetched(ref, spool)  # type: ignore[arg-type]  # a SpooledTemporaryFile is binary IO


def _next_done(pending: deque[Future[Fetched]]) -> Fetched:
    # Wait before removing it, so an interrupted wait leaves it for the cleanup above.
    fetched = pending[0].result()
    pending.popleft()
    return fetched


def _discard(future: Future[Fetched]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    if (stream := future.result().stream) is not None:
        stream.close()  # a spooled file deletes its disk copy on close


def _describe(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code") or "error"
        message = error.get("Message") or exc.operation_name
        return f"{code}: {message}"
    return str(exc) or type(exc).__name__
