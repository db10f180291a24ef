"""Loading one source object, exactly once.

Everything an object produces (its rows, its quarantined lines, new day
partitions and its ledger row) is written in one transaction. Killed half
way, the database rolls it all back and the next run loads the object again
from the start; the unique request key makes any overlap count once.
"""

from __future__ import annotations

import gzip
import logging
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from ingester.load import ledger
from ingester.load.copier import Chunk, Copier
from ingester.load.ledger import Counts
from ingester.load.partitions import Partitions
from ingester.load.redact import redact_ips
from ingester.load.rows import Rejected, RowBuilder, finish
from ingester.load.schema import Dimensions
from ingester.logs.parser import parse_lines
from ingester.logs.reader import text_lines
from ingester.sources import Fetched, ObjectRef

log = logging.getLogger(__name__)

CHUNK_ROWS = 10_000
RAW_LINE_LIMIT = 2_000  # characters of a quarantined line that are kept
# Reading errors that fail one object and let the run go on.
BAD_INPUT = (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeError, ValueError)


@dataclass
class Outcome:
    ref: ObjectRef
    status: str  # loaded | failed
    counts: Counts
    seconds: float
    error: str | None = None


class Loader:
    def __init__(
        self,
        conn: psycopg.Connection,
        dimensions_conn: psycopg.Connection,
        builder: RowBuilder,
        dimensions: Dimensions,
        delimiter: str = "\t",
        on_lines: Callable[[int], None] = lambda n: None,
    ):
        self.conn = conn
        self.dimensions_conn = dimensions_conn
        self.builder = builder
        self.dimensions = dimensions
        self.delimiter = delimiter
        self.on_lines = on_lines
        self.partitions = Partitions()

    def load(self, fetched: Fetched) -> Outcome:
        started = time.monotonic()
        counts = Counts()
        try:
            if fetched.stream is None:
                raise OSError(fetched.error or "could not be read")
            with self.conn.transaction():
                object_id = ledger.begin(self.conn, fetched.ref)
                self._stream(object_id, fetched.stream, counts)
                ledger.finish(self.conn, object_id, counts)
        except psycopg.OperationalError:
            raise  # the database is gone: no point trying the next object
        except (*BAD_INPUT, psycopg.Error) as exc:
            error = f"{type(exc).__name__}: {exc}".strip()
            self._after_failure()
            ledger.fail(self.conn, fetched.ref, error, counts.read)
            return Outcome(fetched.ref, "failed", counts, time.monotonic() - started, error)
        return Outcome(fetched.ref, "loaded", counts, time.monotonic() - started)

    def _after_failure(self) -> None:
        self.partitions.forget()
        for dimension in self.dimensions.all():
            dimension.pending.clear()

    def _stream(self, object_id: int, stream, counts: Counts) -> None:
        self._reported = 0
        copier = Copier(self.conn, self.partitions)
        copier.start()
        try:
            self._parse(object_id, stream, counts, copier)
        except BaseException:
            copier.abandon()
            raise
        copier.close()
        counts.loaded = copier.loaded
        counts.duplicate += copier.duplicate

    def _parse(self, object_id: int, stream, counts: Counts, copier: Copier) -> None:
        build = self.builder.build
        rows: list = []
        deferred: list[int] = []
        keys: set[str] = set()
        days: set[str] = set()
        rejects: list[tuple] = []
        for number, raw, fields, reason in parse_lines(text_lines(stream), self.delimiter):
            counts.read += 1
            if fields is None:
                rejects.append(_quarantined(object_id, number, reason, raw))
                continue
            try:
                day, key, row = build(fields, raw)
            except Rejected as rejected:
                rejects.append(_quarantined(object_id, number, str(rejected), raw))
                continue
            if key in keys:  # the same request twice in one chunk
                counts.duplicate += 1
                continue
            keys.add(key)
            days.add(day)
            if type(row) is not str:
                deferred.append(len(rows))
            rows.append(row)
            if len(rows) >= CHUNK_ROWS:
                self._send(copier, rows, deferred, days, rejects, counts)
                rows, deferred, keys, days, rejects = [], [], set(), set(), []
        self._send(copier, rows, deferred, days, rejects, counts)

    def _send(self, copier, rows, deferred, days, rejects, counts: Counts) -> None:
        if deferred:
            self.dimensions.resolve(self.dimensions_conn)
            for index in deferred:
                rows[index] = finish(rows[index])
        counts.rejected += len(rejects)
        counts.days |= days
        copier.send(Chunk("".join(rows).encode(), len(rows), days, rejects))
        self.on_lines(counts.read - self._reported)
        self._reported = counts.read


def _quarantined(object_id: int, number: int, reason: str, raw: str) -> tuple:
    return (object_id, number, reason, redact_ips(raw[:RAW_LINE_LIMIT]))
