"""Small objects committed together: one transaction for many objects.

A CloudFront distribution delivers many small objects (each edge server
sends a file every few minutes, most of them tens to hundreds of lines).
Loaded in a transaction each, an object costs several round trips and a
commit whatever its size. So the copier holds back every object that fits
in one chunk and writes a batch of them at once: all their ledger rows
claimed in one statement, all their rows in one COPY, their quarantined
lines in another, all ledger rows finished (and their days marked dirty)
in one pipeline, then a single commit. Exactly once still holds: the
ledger rows commit with the rows, or none of them does.

A line already stored (delivered twice) is merged as in copier.py, through
a staging table, and counted as a duplicate of the object that repeats it.
Any other error rolls the whole batch back: after a conflict with another
loader (a deadlock) its objects start over, as a single object would;
otherwise the copier loads them again one by one, so a bad object still
fails alone.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace

import psycopg

from ingester.load import ledger
from ingester.load.ledger import Counts
from ingester.load.messages import Begin, Chunk, End
from ingester.load.rows import COLUMNS

BATCH_ROWS = 20_000  # rows held at most: a batch's memory stays a few megabytes
BATCH_OBJECTS = 1_000
BATCH_SECONDS = 1.0  # a slow trickle of objects still commits this often
HOLD_ROWS = 5_000  # a first chunk this large is a large object: it is loaded on its own
KEY = COLUMNS.index("request_key")
COPY_QUARANTINE = "copy quarantine (object_id, line_number, reason, raw_line) from stdin"


@dataclass
class Held:
    """A whole small object, as parsing sent it."""

    begin: Begin
    chunks: list[Chunk]
    end: End

    @property
    def rows(self) -> int:
        return sum(chunk.rows for chunk in self.chunks)

    @property
    def days(self) -> set[str]:
        return set().union(*(chunk.days for chunk in self.chunks))

    def messages(self) -> list:
        return [self.begin, *self.chunks, self.end]


class Batch:
    def __init__(self) -> None:
        self.objects: list[Held] = []
        self.rows = 0
        self.started = 0.0

    def add(self, held: Held) -> None:
        if not self.objects:
            self.started = time.monotonic()
        self.objects.append(held)
        self.rows += held.rows

    def fits(self, held: Held) -> bool:
        return self.rows + held.rows <= BATCH_ROWS

    def full(self) -> bool:
        return (
            self.rows >= BATCH_ROWS
            or len(self.objects) >= BATCH_OBJECTS
            or time.monotonic() - self.started >= BATCH_SECONDS
        )

    def take(self) -> list[Held]:
        objects, self.objects, self.rows = self.objects, [], 0
        return objects


def write(
    conn: psycopg.Connection, objects: list[Held], copy_requests, copy_staging
) -> list[Counts]:
    """Write a batch in the open transaction and commit it; each object's counts.
    Raises (the caller rolls back) on any error but a line already stored."""
    ids = ledger.begin_many(conn, [held.begin.ref for held in objects])
    rejects = [
        (object_id, *reject)
        for object_id, held in zip(ids, objects, strict=True)
        for chunk in held.chunks
        for reject in chunk.rejects
    ]
    if rejects:
        with conn.cursor() as cur, cur.copy(COPY_QUARANTINE) as copy:
            for row in rejects:
                copy.write_row(row)
    loaded = _copy(conn, objects, copy_requests, copy_staging)
    counts = []
    for held, stored in zip(objects, loaded, strict=True):
        parsed = held.end.counts  # kept as it is: a failed batch loads the object again
        counts.append(
            replace(parsed, loaded=stored, duplicate=parsed.duplicate + held.rows - stored)
        )
    # All the batch's days first, in order (two loaders then cannot deadlock on them);
    # each object's `finish` marks its own again, rows this transaction already holds.
    ledger.mark_dirty(conn, set().union(*(c.days for c in counts)))
    with conn.pipeline():  # the statements go out together: one round trip, not one each
        for object_id, total in zip(ids, counts, strict=True):
            ledger.finish(conn, object_id, total)
    conn.commit()
    return counts


def _copy(conn: psycopg.Connection, objects: list[Held], copy_requests, copy_staging) -> list[int]:
    """COPY every row; rows stored per object. The savepoint lets a duplicate be merged
    without losing the ledger rows and quarantined lines already written."""
    try:
        with conn.transaction(), conn.cursor() as cur, cur.copy(copy_requests) as copy:
            for held in objects:
                for chunk in held.chunks:
                    if chunk.rows:
                        copy.write(chunk.data)
        return [held.rows for held in objects]
    except psycopg.errors.UniqueViolation:
        return _merge(conn, objects, copy_staging)


def _merge(conn: psycopg.Connection, objects: list[Held], copy_staging) -> list[int]:
    """Store the rows not stored yet; a repeated row counts for the first object holding it."""
    with conn.cursor() as cur:
        cur.execute(
            "create temp table if not exists requests_staging (like requests) on commit delete rows"
        )
        with cur.copy(copy_staging) as copy:
            for held in objects:
                for chunk in held.chunks:
                    if chunk.rows:
                        copy.write(chunk.data)
        cur.execute(
            "insert into requests select * from requests_staging on conflict do nothing "
            "returning request_key"
        )
        inserted = Counter(str(key) for (key,) in cur.fetchall())
        cur.execute("truncate requests_staging")
    stored = []
    for held in objects:
        count = 0
        for chunk in held.chunks:
            for line in chunk.data.decode().split("\n")[:-1]:
                key = line.split("\t", KEY + 1)[KEY]
                if inserted[key] > 0:
                    inserted[key] -= 1
                    count += 1
        stored.append(count)
    return stored
