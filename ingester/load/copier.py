"""The database side of loading, on its own thread: one transaction per object.

Parsing is Python work and COPY is PostgreSQL work. The main thread parses
and hands over messages (Begin, Chunk…, End or Abort, per object); this
thread opens the object's transaction, claims its ledger row, COPYs each
chunk and commits. While it waits on the server (without the GIL), the main
thread is already parsing the next chunk or the next object, so the two
cores overlap even when objects are small.

The transaction opens with the first chunk, once the day partitions that
chunk needs exist: they are made just before, in a transaction of their own
(see partitions.py), never inside an object's. A later chunk reaching a day
without a partition rolls the object back, has the partition made, and the
object is reported as a conflict: loaded again from the start, like one that
lost a deadlock to another loader. After ATTEMPTS loads it is failed instead.

Each chunk is COPYed straight into `requests`. A unique violation means some
row is already stored (a line delivered twice, in two files or far apart in
one): the chunk then goes through a staging table and `insert … on conflict
do nothing`, which stores every new row exactly once.

Objects small enough to fit in one chunk are held back and written many at
a time, in one transaction (see batch.py); a large object, or one that
failed to parse, is written on its own as above.
"""

from __future__ import annotations

import queue
import threading
import time

import psycopg
from psycopg import sql

from ingester.load import batch, ledger
from ingester.load.batch import Batch, Held
from ingester.load.ledger import Counts
from ingester.load.messages import ATTEMPTS, Abort, Begin, Chunk, End, Outcome
from ingester.load.partitions import Partitions
from ingester.load.rows import COLUMNS

_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
COPY_REQUESTS = sql.SQL("copy requests ({}) from stdin").format(_COLUMNS)
COPY_STAGING = sql.SQL("copy requests_staging ({}) from stdin").format(_COLUMNS)
COPY_QUARANTINE = "copy quarantine (object_id, line_number, reason, raw_line) from stdin"


class Copier(threading.Thread):
    def __init__(self, conn: psycopg.Connection):
        super().__init__(name="edgelog-copy", daemon=True)
        self.conn = conn  # not autocommit: one transaction per object
        self.partitions = Partitions()
        self.inbox: queue.Queue = queue.Queue(maxsize=4)
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        self.fatal: BaseException | None = None  # the database went away
        self._object: Begin | None = None
        self._object_id: int | None = None  # set once the object's transaction is open
        self._failed: str | None = None
        self._conflict = False
        self._loaded = self._merged_duplicates = self._chunks = 0
        self._held: list = []  # the messages of an object that may still join the batch
        self._batch = Batch()

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

    def idle(self) -> None:
        """Wait until every message sent so far is handled."""
        self.inbox.join()
        if self.fatal is not None:
            raise self.fatal

    def run(self) -> None:
        while (message := self.inbox.get()) is not None:
            try:
                self._route(message)
                if self.inbox.empty():  # nothing more to add now: commit what is held
                    self._guarded(self._flush_batch)
            finally:
                self.inbox.task_done()
        self._guarded(self._flush_batch)

    def _route(self, message) -> None:
        """Hold a small object until its End, for the batch; the rest goes to `_run`."""
        if self.fatal is not None:
            return
        if isinstance(message, Begin):
            self._held = [message]
            return
        if not self._held:
            self._run(message)
            return
        self._held.append(message)
        if isinstance(message, End) and len(self._held) <= 3:
            begin, *chunks, end = self._held
            self._held = []
            self._guarded(self._add_to_batch, Held(begin, chunks, end))
        elif not (isinstance(message, Chunk) and message.rows < batch.HOLD_ROWS):
            held, self._held = self._held, []  # a large object, or one that failed to parse
            self._guarded(self._flush_batch)
            for each in held:
                self._run(each)

    def _guarded(self, step, *args) -> None:
        try:
            step(*args)
        except Exception as exc:  # the connection is unusable
            self.fatal = exc

    def _add_to_batch(self, held: Held) -> None:
        if not self._batch.fits(held):
            self._flush_batch()
        self._batch.add(held)
        if self._batch.full():
            self._flush_batch()

    def _flush_batch(self) -> None:
        objects = self._batch.take()
        if not objects or self.fatal is not None:
            return
        if len(objects) == 1:  # nothing to share a transaction with: loaded as ever
            for message in objects[0].messages():
                self._run(message)
            return
        try:
            self.partitions.ensure(self.conn, set().union(*(held.days for held in objects)))
            counts = batch.write(self.conn, objects, COPY_REQUESTS, COPY_STAGING)
        except Exception as exc:
            if self.conn.broken or self.conn.closed:
                raise
            self._rollback()
            self._after_batch_error(objects, exc)
            return
        for held, loaded in zip(objects, counts, strict=True):
            self._object = held.begin
            self._report("loaded", loaded)

    def _run(self, message) -> None:
        if self.fatal is not None:
            return  # drain: the main thread learns of it on its next send
        try:
            try:
                self._handle(message)
            except Exception as exc:
                # Whatever went wrong (a bug included) fails this object only: a
                # thread that died here would leave the main thread waiting forever.
                if self.conn.broken or self.conn.closed:
                    raise
                # A deadlock is an OperationalError too, but the connection lives on.
                if isinstance(exc, psycopg.Error):
                    self._conflict = self._conflict or _is_conflict(exc)
                self._after_error(message, f"{type(exc).__name__}: {exc}".strip())
        except Exception as exc:  # the connection is unusable, or failing the object failed
            self.fatal = exc

    def _handle(self, message) -> None:
        match message:
            case Begin():
                self._begin(message)
            case Chunk() if self._failed is None:
                self._write(message)
            case End() if self._failed is None:
                self._open([])  # an object without requests still gets its ledger row
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

    def _after_batch_error(self, objects: list[Held], exc: Exception) -> None:
        """After a conflict the objects start over, as one object would (but at its last
        attempt, which fails alone); after any other error each is loaded on its own, so
        one object's error fails no other."""
        conflict = isinstance(exc, psycopg.Error) and _is_conflict(exc)
        error = f"{type(exc).__name__}: {exc}".strip()
        for held in objects:
            if conflict and held.begin.attempt < ATTEMPTS:
                self._object = held.begin
                self._report("conflict", Counts(read=held.end.counts.read), error)
                continue
            for message in held.messages():
                self._run(message)

    def _begin(self, message: Begin) -> None:
        self._object, self._object_id = message, None
        self._failed, self._conflict = None, False
        self._loaded = self._merged_duplicates = self._chunks = 0

    def _open(self, days) -> None:
        """Start the object's transaction, its partitions made first."""
        if self._object_id is not None:
            return
        self.partitions.ensure(self.conn, days)
        self._object_id = ledger.begin(self.conn, self._object.ref)

    def _write(self, chunk: Chunk) -> None:
        self._open(chunk.days)
        self._chunks += 1
        if chunk.rows and (missing := self.partitions.missing(self.conn, chunk.days)):
            self._start_over(missing)
            return
        if chunk.rows:
            try:
                self._copy(chunk)
                self._loaded += chunk.rows
            except psycopg.errors.UniqueViolation:
                if self._chunks == 1:  # nothing to keep yet: start the object over
                    self._rollback()
                    self._object_id = None
                    self._open(chunk.days)
                self._merge(chunk)
        if chunk.rejects:
            with self.conn.cursor() as cur, cur.copy(COPY_QUARANTINE) as copy:
                for line_number, reason, raw in chunk.rejects:
                    copy.write_row((self._object_id, line_number, reason, raw))

    def _copy(self, chunk: Chunk) -> None:
        """COPY straight into `requests`. Only chunks after the first need a savepoint:
        a first chunk that fails can be retried from the start of the object."""
        if self._chunks == 1:
            with self.conn.cursor() as cur, cur.copy(COPY_REQUESTS) as copy:
                copy.write(chunk.data)
            return
        with self.conn.transaction(), self.conn.cursor() as cur, cur.copy(COPY_REQUESTS) as copy:
            copy.write(chunk.data)

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

    def _start_over(self, days) -> None:
        """A chunk after the first reached days without a partition. Making one now would
        lock `requests` until this object commits: start over once they exist instead."""
        self._rollback()
        self.partitions.ensure(self.conn, days)
        listed = ", ".join(str(day) for day in sorted(days))
        self._conflict = True
        self._failed = f"rows of {listed} after the first chunk, which had no partition yet"

    def _rollback(self) -> None:
        self.conn.rollback()
        self._object_id = None

    def _fail(self, error: str, read: int) -> None:
        self._rollback()
        if self._conflict and self._object.attempt < ATTEMPTS:  # loaded again from the start
            self._report("conflict", Counts(read=read), error)
            return
        if self._conflict:
            error = f"{error} (gave up after {ATTEMPTS} attempts)"
        ledger.fail(self.conn, self._object.ref, error, read)
        self._report("failed", Counts(read=read), error)

    def _report(self, status: str, counts: Counts, error: str | None = None) -> None:
        seconds = time.monotonic() - self._object.started
        self.outcomes.put(Outcome(self._object.ref, status, counts, seconds, error))


def _is_conflict(exc: psycopg.Error) -> bool:
    """Two loaders in each other's way (a deadlock, or a partition someone else made at the
    same moment, outside edgelog's own lock): try again."""
    retry = (
        psycopg.errors.DeadlockDetected,
        psycopg.errors.SerializationFailure,
        psycopg.errors.DuplicateTable,
    )
    if isinstance(exc, retry):
        return True
    constraint = getattr(exc.diag, "constraint_name", None) or ""
    return isinstance(exc, psycopg.errors.UniqueViolation) and constraint.startswith("pg_")
