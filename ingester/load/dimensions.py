"""Dimension tables: each distinct string is stored once and referred to by id.

The hot loop asks `Dimension.cache` for an id; a miss becomes a pending key.
Once per chunk, `resolve_all` settles every pending key: plain dimensions in
one statement each (insert what is new, return every id), all sent in one
pipelined round trip; dimensions whose rows need work first (parsing a user
agent, placing an edge location) look their keys up, describe only the new
ones and insert those. A user agent is thus parsed the first time edgelog
ever sees it, not once per run.

Dimension rows are written on their own autocommit connection: they are
harmless if a load fails, and committed before any fact row refers to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from ingester.load.caches import remember

Key = tuple


@dataclass
class Dimension:
    table: str
    key_columns: tuple[str, ...]
    types: tuple[str, ...]  # PostgreSQL type of each inserted column
    # Join condition between a table alias {t} and the looked-up keys `k`.
    match: str
    describe: Callable[[Key], tuple] | None = None
    extra_columns: tuple[str, ...] = ()
    # What the hot loop gets for a key: by default the id as COPY text.
    value: Callable[[int, tuple], Any] = lambda id_, extra: str(id_)
    cache: dict[Key, Any] = field(default_factory=dict)
    pending: set[Key] = field(default_factory=set)
    # What the last resolve found for the pending keys, unbounded: a bounded cache may
    # already have forgotten some when a flush brings more keys than it holds.
    resolved: dict[Key, Any] = field(default_factory=dict)

    def lookup_sql(self) -> str:
        columns = ", ".join(self.key_columns)
        extra = "".join(f", t.{c}" for c in self.extra_columns)
        return (
            f"select k.ord, t.id{extra} from {self._keys()} as k({columns}, ord)"
            f" join {self.table} t on {self.match.format(t='t')}"
        )

    def upsert_sql(self) -> str:
        """Insert the new keys and return the id of every key, in one statement."""
        columns = ", ".join(self.key_columns)
        return (
            f"with k as (select * from {self._keys()} as k({columns}, ord)),"
            f" i as (insert into {self.table} ({columns}) select {columns} from k"
            f" on conflict do nothing returning *)"
            f" select k.ord, coalesce(i.id, t.id) from k"
            f" left join i on {self.match.format(t='i')}"
            f" left join {self.table} t on {self.match.format(t='t')}"
        )

    def params(self, keys: Sequence[Key]) -> list:
        return [*_columns(keys, len(self.key_columns)), list(range(len(keys)))]

    def remember(self, keys: Sequence[Key], rows: Iterable[tuple]) -> None:
        for row in rows:
            if row[1] is not None:
                key, value = keys[row[0]], self.value(row[1], tuple(row[2:]))
                self.resolved[key] = value
                remember(self.cache, key, value)

    def insert(self, conn: psycopg.Connection, keys: Sequence[Key]) -> None:
        rows = [k + self.describe(k) for k in keys]
        columns = self.key_columns + self.extra_columns
        arrays = ", ".join(f"%s::{t}[]" for t in self.types)
        conn.execute(
            f"insert into {self.table} ({', '.join(columns)}) select * from unnest({arrays})"
            " on conflict do nothing",
            _columns(rows, len(columns)),
        )

    def _keys(self) -> str:
        arrays = ", ".join(f"%s::{t}[]" for t in self.types[: len(self.key_columns)])
        return f"unnest({arrays}, %s::int[])"


def resolve_all(conn: psycopg.Connection, dimensions: Sequence[Dimension]) -> None:
    """Give every pending key of `dimensions` its id, in as few round trips as possible.

    Keys go in sorted: two loaders inserting overlapping keys then take their
    locks in the same order. Should they still deadlock, the work is redone.
    """
    for dimension in dimensions:
        dimension.resolved = {}
    for attempt in range(1, RETRIES + 1):
        try:
            _resolve(conn, dimensions)
            return
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
            if attempt == RETRIES:
                raise


RETRIES = 5


def _resolve(conn: psycopg.Connection, dimensions: Sequence[Dimension]) -> None:
    # Described ones first: plain rows may refer to them (a response to its edge location).
    for dimension in dimensions:
        if dimension.describe is not None and dimension.pending:
            _describe_new(conn, dimension)
    plain = [d for d in dimensions if d.pending and d.describe is None]
    with conn.pipeline():
        sent = [(d, _sorted(d.pending), d) for d in plain]
        sent = [(d, keys, conn.execute(d.upsert_sql(), d.params(keys))) for d, keys, _ in sent]
    for dimension, keys, cursor in sent:
        dimension.remember(keys, cursor.fetchall())
    # A key inserted by a concurrent loader in the meantime: it is visible now.
    for dimension in dimensions:
        missing = [k for k in dimension.pending if k not in dimension.resolved]
        if missing:
            dimension.remember(
                missing, conn.execute(dimension.lookup_sql(), dimension.params(missing))
            )
        dimension.pending.clear()


def _sorted(keys) -> list:
    return sorted(keys, key=lambda key: tuple("" if v is None else str(v) for v in key))


def _describe_new(conn: psycopg.Connection, dimension: Dimension) -> None:
    keys = _sorted(dimension.pending)
    dimension.remember(keys, conn.execute(dimension.lookup_sql(), dimension.params(keys)))
    new = [k for k in keys if k not in dimension.resolved]
    if new:
        dimension.insert(conn, new)
        dimension.remember(new, conn.execute(dimension.lookup_sql(), dimension.params(new)))


def _columns(rows: Sequence[tuple], width: int) -> list[list]:
    return [[_storable(row[i]) for row in rows] for i in range(width)]


def _storable(value):
    """PostgreSQL text cannot hold NUL, which a damaged log line may carry anywhere."""
    return value.replace("\x00", "\ufffd") if type(value) is str and "\x00" in value else value


def same(*columns: str) -> str:
    """A NULL-safe match on several columns, through their md5 unique index.

    The expression is the one the migration indexes (key_hash in 0002_requests).
    """

    def key(alias: str) -> str:
        parts = " || chr(31) || ".join(f"coalesce({alias}.{c}::text, chr(30))" for c in columns)
        return f"(md5({parts})::uuid)"

    return f"{key('{t}')} = {key('k')}"


def hashed(column: str) -> str:
    """A match through the md5 unique index of a long text column."""
    return f"md5({{t}}.{column})::uuid = md5(k.{column})::uuid"
