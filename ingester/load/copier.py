"""The database side of loading, on its own thread: one transaction per object.

Parsing is Python work and COPY is PostgreSQL work. The main thread parses
and hands over messages (Begin, Chunk…, End or Abort, per object); this
thread opens the object's transaction, claims its ledger row, COPYs each
chunk and commits. While it waits on the server (without the GIL), the main
thread is already parsing the next chunk or the next object, so the two
cores overlap even when objects are small.

Each chunk is COPYed straight into `requests` under a savepoint. A unique
violation means some row is already stored (a line delivered twice, in two
files or far apart in one): the chunk then goes through a staging table and
`insert … on conflict do nothing`, which stores every new row exactly once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from ingester.load import ledger
from ingester.load.ledger import Counts
from ingester.load.partitions import Partitions
from ingester.load.rows import COLUMNS
from ingester.sources import ObjectRef

log = logging.getLogger(__name__)

_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
COPY_REQUESTS = sql.SQL("copy requests ({}) from stdin").format(_COLUMNS)
COPY_STAGING = sql.SQL("copy requests_staging ({}) from stdin").format(_COLUMNS)
COPY_QUARANTINE = "copy quarantine (object_id, line_number, reason, raw_line) from stdin"


@dataclass
class Begin:
    ref: ObjectRef
    started: float = field(default_factory=time.monotonic)


@dataclass
class Chunk:
    data: bytes
    rows: int
    days: set[str]
    rejects: list[tuple]  # (line number, reason, raw line)


@dataclass
class End:
    counts: Counts  # what the parser saw: lines read, in-chunk duplicates, rejects, days


@dataclass
class Abort:
    error: str
    read: int


@dataclass
class Outcome:
    ref: ObjectRef
    status: str  # loaded | failed
    counts: Counts
    seconds: float
    error: str | None = None


class Copier(threading.Thread):
    def __init__(self, conn: psycopg.Connection):
        super().__init__(name="edgelog-copy", daemon=True)
        self.conn = conn  # not autocommit: one transaction per object
        self.partitions = Partitions()
        self.inbox: queue.Queue = queue.Queue(maxsize=4)
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        self.fatal: BaseException | None = None  # the database went away
        self._object: Begin | None = None
        self._object_id = 0
        self._failed: str | None = None
        self._loaded = self._merged_duplicates = 0

    def send(self, message) -> None:
        if self.fatal is not None:
            raise self.fatal
        self.inbox.put(message)

    def close(self) -> None:
        """Finish every queued object; re-raise a fatal database error."""
        self.inbox.put(None)
        self.join()
        if self.fatal is not None:
            raise self.fatal

    def run(self) -> None:
        while (message := self.inbox.get()) is not None:
            if self.fatal is not None:
                continue  # drain: the main thread learns of it on its next send
            try:
                try:
                    self._handle(message)
                except psycopg.OperationalError:
                    raise
                except psycopg.Error as exc:
                    self._after_error(message, f"{type(exc).__name__}: {exc}".strip())
            except psycopg.Error as exc:  # the connection is unusable
                self.fatal = exc

    def _handle(self, message) -> None:
        match message:
            case Begin():
                self._begin(message)
            case Chunk() if self._failed is None:
                self._write(message)
            case End() if self._failed is None:
                ledger.finish(self.conn, self._object_id, self._total(message.counts))
                self.conn.commit()
                self._report("loaded", message.counts)
            case End():
                self._fail(self._failed, message.counts.read)
            case Abort():
                self._fail(message.error, message.read)

    def _after_error(self, message, error: str) -> None:
        """A database error in one object: fail it, keep going with the next."""
        if isinstance(message, End):
            self._fail(error, message.counts.read)
        elif isinstance(message, Abort):
            self._fail(message.error, message.read)
        else:
            self._rollback()
            self._failed = error

    def _begin(self, message: Begin) -> None:
        self._object, self._failed = message, None
        self._loaded = self._merged_duplicates = 0
        self._object_id = ledger.begin(self.conn, message.ref)

    def _write(self, chunk: Chunk) -> None:
        if chunk.rows:
            self.partitions.ensure(self.conn, chunk.days)
            try:
                with (
                    self.conn.transaction(),
                    self.conn.cursor() as cur,
                    cur.copy(COPY_REQUESTS) as copy,
                ):
                    copy.write(chunk.data)
                self._loaded += chunk.rows
            except psycopg.errors.UniqueViolation:
                self._merge(chunk)
        if chunk.rejects:
            with self.conn.cursor() as cur, cur.copy(COPY_QUARANTINE) as copy:
                for line_number, reason, raw in chunk.rejects:
                    copy.write_row((self._object_id, line_number, reason, raw))

    def _merge(self, chunk: Chunk) -> None:
        with self.conn.cursor() as cur:
            cur.execute(
                "create temp table if not exists requests_staging "
                "(like requests) on commit delete rows"
            )
            with cur.copy(COPY_STAGING) as copy:
                copy.write(chunk.data)
            cur.execute(
                "insert into requests select * from requests_staging on conflict do nothing"
            )
            inserted = cur.rowcount
            cur.execute("truncate requests_staging")
        self._loaded += inserted
        self._merged_duplicates += chunk.rows - inserted

    def _total(self, counts: Counts) -> Counts:
        counts.loaded = self._loaded
        counts.duplicate += self._merged_duplicates
        return counts

    def _rollback(self) -> None:
        self.conn.rollback()
        self.partitions.forget()  # partitions created in the transaction are gone

    def _fail(self, error: str, read: int) -> None:
        self._rollback()
        ledger.fail(self.conn, self._object.ref, error, read)
        self._report("failed", Counts(read=read), error)

    def _report(self, status: str, counts: Counts, error: str | None = None) -> None:
        seconds = time.monotonic() - self._object.started
        self.outcomes.put(Outcome(self._object.ref, status, counts, seconds, error))
