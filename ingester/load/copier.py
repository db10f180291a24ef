"""Sending chunks of rows to PostgreSQL on a second thread.

Parsing is Python work and COPY is PostgreSQL work: while this thread waits
on the server (without the GIL), the main thread parses the next chunk, so
the two cores overlap.

Each chunk is COPYed straight into `requests` under a savepoint. A unique
violation means some row is already stored (a line delivered twice, in two
files or far apart in one): the chunk then goes through a staging table and
`insert … on conflict do nothing`, which stores every new row exactly once.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from ingester.load.partitions import Partitions
from ingester.load.schema import REQUEST_COLUMNS

COLUMNS = sql.SQL(", ").join(map(sql.Identifier, REQUEST_COLUMNS))
COPY_REQUESTS = sql.SQL("copy requests ({}) from stdin").format(COLUMNS)
COPY_STAGING = sql.SQL("copy requests_staging ({}) from stdin").format(COLUMNS)
COPY_QUARANTINE = "copy quarantine (object_id, line_number, reason, raw_line) from stdin"


@dataclass
class Chunk:
    data: bytes
    rows: int
    days: set[str]
    rejects: list[tuple] = field(default_factory=list)  # (object_id, line, reason, raw)


class Copier(threading.Thread):
    def __init__(self, conn: psycopg.Connection, partitions: Partitions):
        super().__init__(name="edgelog-copy", daemon=True)
        self.conn = conn
        self.partitions = partitions
        self.queue: queue.Queue[Chunk | None] = queue.Queue(maxsize=2)
        self.loaded = 0
        self.duplicate = 0
        self.error: BaseException | None = None

    def send(self, chunk: Chunk) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        """Wait for every chunk to be written; re-raise the thread's error."""
        self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """Stop after the main thread failed: skip what is queued, keep its error."""
        self.error = self.error or RuntimeError("abandoned")
        self.queue.put(None)
        self.join()

    def run(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._write(chunk)
                except BaseException as exc:  # handed to the main thread by close()
                    self.error = exc

    def _write(self, chunk: Chunk) -> None:
        if chunk.rows:
            self.partitions.ensure(self.conn, chunk.days)
            try:
                with self.conn.transaction(), self.conn.cursor() as cur:
                    with cur.copy(COPY_REQUESTS) as copy:
                        copy.write(chunk.data)
                    self.loaded += chunk.rows
            except psycopg.errors.UniqueViolation:
                self._merge(chunk)
        if chunk.rejects:
            with self.conn.cursor() as cur, cur.copy(COPY_QUARANTINE) as copy:
                for reject in chunk.rejects:
                    copy.write_row(reject)

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
        self.loaded += inserted
        self.duplicate += chunk.rows - inserted
