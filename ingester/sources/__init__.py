"""Where log objects come from: local files and S3.

A source lists `ObjectRef`s (cheap: names, sizes, ETags) so the ledger can skip
what is already loaded before anything is read, then fetches the rest as
binary streams (plain or gzip; the reader sniffs which).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol


class SourceError(ValueError):
    """A log location that cannot be used: nothing matches it, or it cannot be listed."""


@dataclass(frozen=True)
class ObjectRef:
    source: str  # "file" for local files, "s3://bucket" for S3
    key: str  # absolute path, or the object key
    size: int | None
    etag: str | None = None  # S3's ETag; for a local file, its modification time and size


@dataclass(frozen=True)
class Fetched:
    """An object's bytes, or why they could not be read."""

    ref: ObjectRef
    stream: BinaryIO | None
    error: str | None = None


class Source(Protocol):
    def list(self, since: datetime | None = None) -> Iterator[ObjectRef]:
        """Every object under this source, oldest key first where the naming allows."""
        ...

    def fetch(self, refs: Iterable[ObjectRef]) -> Iterator[Fetched]:
        """The objects' contents, in the order given; the caller closes each stream."""
        ...

    def digest(self, ref: ObjectRef) -> bytes | None:
        """The object's content hash (see `Hashing`) where the ETag cannot tell, else None."""
        ...


class Hashing:
    """A binary stream that hashes what is read from it: the content hash the ledger
    keeps, so an object whose ETag changed can be recognised as the same content."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.hash.update(data)
        return data

    def digest(self) -> bytes:
        return self.hash.digest()


def file_digest(path: str) -> bytes:
    """The content hash of a whole file, as `Hashing` computes it while loading."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").digest()


def open_source(location: str, *, concurrency: int) -> Source:
    """The source for one location: `s3://bucket/prefix`, or a local file, directory or glob."""
    # Imported here so that reading local files never pays for importing boto3.
    if location.startswith("s3://"):
        from ingester.sources.s3 import S3Source

        return S3Source(location, concurrency=concurrency)
    if "://" in location:
        raise SourceError(f"{location}: only s3://bucket/prefix URLs and local paths are supported")
    from ingester.sources.local import LocalSource

    return LocalSource([location])
