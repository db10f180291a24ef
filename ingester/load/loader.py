"""Loading source objects, each exactly once.

Everything an object produces (its rows, its quarantined lines, new day
partitions and its ledger row) is written in one transaction by the Copier
thread. Killed half way, the database rolls it all back and the next run
loads the object again from the start; the unique request key makes any
overlap count once. This side parses: lines to rows, chunk by chunk.
"""

from __future__ import annotations

import gzip
import queue
import zlib
from collections.abc import Callable

import psycopg

from ingester.load.copier import Abort, Begin, Chunk, Copier, End, Outcome
from ingester.load.ledger import Counts
from ingester.load.redact import redact_ips
from ingester.load.rows import Rejected, RowBuilder, finish
from ingester.load.schema import Dimensions
from ingester.logs.parser import parse_lines
from ingester.logs.reader import text_lines
from ingester.sources import Fetched

CHUNK_ROWS = 10_000
RAW_LINE_LIMIT = 2_000  # characters of a quarantined line that are kept
# Reading errors that fail one object and let the run go on.
BAD_INPUT = (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeError)


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
        # Losing the last commits in a server crash is safe here: the ledger row
        # goes with its rows, so those objects are simply loaded again.
        conn.execute("set synchronous_commit = off")
        conn.commit()
        self.copier = Copier(conn)
        self.copier.start()
        self.dimensions_conn = dimensions_conn
        self.builder = builder
        self.dimensions = dimensions
        self.delimiter = delimiter
        self.on_lines = on_lines

    def load(self, fetched: Fetched) -> None:
        """Parse one object and queue it for the copier; outcomes() tells how it went."""
        self.copier.send(Begin(fetched.ref))
        counts = Counts()
        try:
            if fetched.stream is None:
                raise OSError(fetched.error or "could not be read")
            self._parse(fetched.stream, counts)
        except psycopg.OperationalError:
            raise  # the database is gone: no point trying the next object
        except (*BAD_INPUT, psycopg.Error) as exc:
            for dimension in self.dimensions.all():
                dimension.pending.clear()
            self.copier.send(Abort(f"{type(exc).__name__}: {exc}".strip(), counts.read))
            return
        self.copier.send(End(counts))

    def outcomes(self) -> list[Outcome]:
        """Objects finished since the last call."""
        done = []
        while True:
            try:
                done.append(self.copier.outcomes.get_nowait())
            except queue.Empty:
                return done

    def close(self) -> list[Outcome]:
        """Wait for every queued object; the outcomes not yet collected."""
        self.copier.close()
        return self.outcomes()

    def _parse(self, stream, counts: Counts) -> None:
        build = self.builder.build
        rows, deferred, keys, days, rejects = [], [], set(), set(), []
        read = duplicate = 0
        last_day = None
        for number, raw, fields, reason in parse_lines(text_lines(stream), self.delimiter):
            read += 1
            if fields is None:
                rejects.append((number, reason, _kept(raw)))
                continue
            try:
                day, key, row = build(fields, raw)
            except Rejected as rejected:
                rejects.append((number, str(rejected), _kept(raw)))
                continue
            if key in keys:  # the same request twice in one chunk
                duplicate += 1
                continue
            keys.add(key)
            if day != last_day:
                days.add(day)
                last_day = day
            if type(row) is not str:
                deferred.append(len(rows))
            rows.append(row)
            if len(rows) >= CHUNK_ROWS:
                self._send(rows, deferred, days, rejects, counts, read)
                rows, deferred, keys, days, rejects = [], [], set(), set(), []
                last_day = None
        self._send(rows, deferred, days, rejects, counts, read)
        counts.read, counts.duplicate = read, duplicate

    def _send(self, rows, deferred, days, rejects, counts: Counts, read: int) -> None:
        if deferred:
            self.dimensions.resolve(self.dimensions_conn)
            for index in deferred:
                rows[index] = finish(rows[index])
        counts.rejected += len(rejects)
        counts.days |= days
        self.copier.send(Chunk("".join(rows).encode(), len(rows), days, rejects))
        self.on_lines(read - counts.read)
        counts.read = read


def _kept(raw: str) -> str:
    """What a quarantined line keeps: capped, and without addresses (privacy)."""
    return redact_ips(raw[:RAW_LINE_LIMIT])
