"""Dimension tables: each distinct string is stored once and referred to by id.

The hot loop asks `Dimension.cache` for an id; a miss becomes a pending key.
Once per chunk, `resolve` looks the pending keys up in the database, describes
and inserts the new ones (a user agent is parsed only the first time edgelog
ever sees it), and fills the cache. Dimension rows are written on their own
autocommit connection: they are harmless if a load fails, and committed
before any fact row refers to them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

Key = tuple


@dataclass
class Dimension:
    table: str
    key_columns: tuple[str, ...]
    types: tuple[str, ...]  # PostgreSQL type of each inserted column
    # Join condition between the table `t` and the looked-up keys `k`.
    match: str
    describe: Callable[[Key], tuple] = lambda key: ()
    extra_columns: tuple[str, ...] = ()
    # What the hot loop gets for a key: by default the id as COPY text.
    value: Callable[[int, Key, tuple], Any] = lambda id_, key, extra: str(id_)
    cache: dict[Key, Any] = field(default_factory=dict)
    pending: set[Key] = field(default_factory=set)

    def resolve(self, conn: psycopg.Connection) -> None:
        if not self.pending:
            return
        keys = list(self.pending)
        found = self._lookup(conn, keys)
        missing = [k for k in keys if k not in found]
        if missing:
            self._insert(conn, [k + self.describe(k) for k in missing])
            found.update(self._lookup(conn, missing))
        for key, (id_, extra) in found.items():
            self.cache[key] = self.value(id_, key, extra)
        self.pending.clear()

    def _lookup(self, conn: psycopg.Connection, keys: Sequence[Key]) -> dict[Key, tuple]:
        width = len(self.key_columns)
        columns = ", ".join(self.key_columns)
        arrays = ", ".join(f"%s::{t}[]" for t in self.types[:width])
        extra = "".join(f", t.{c}" for c in self.extra_columns)
        sql = (
            f"select k.ord, t.id{extra} from unnest({arrays}, %s::int[]) as k({columns}, ord)"
            f" join {self.table} t on {self.match}"
        )
        rows = conn.execute(sql, [*_columns(keys, width), list(range(len(keys)))]).fetchall()
        return {keys[row[0]]: (row[1], tuple(row[2:])) for row in rows}

    def _insert(self, conn: psycopg.Connection, rows: list[tuple]) -> None:
        columns = self.key_columns + self.extra_columns
        arrays = ", ".join(f"%s::{t}[]" for t in self.types)
        conn.execute(
            f"insert into {self.table} ({', '.join(columns)}) select * from unnest({arrays})"
            " on conflict do nothing",
            _columns(rows, len(columns)),
        )


def _columns(rows: Sequence[tuple], width: int) -> list[list]:
    return [[row[i] for row in rows] for i in range(width)]


def same(*columns: str) -> str:
    """A NULL-safe match on plain columns."""
    return " and ".join(f"t.{c} is not distinct from k.{c}" for c in columns)


def hashed(column: str) -> str:
    """A match through the md5 unique index of a long text column."""
    return f"md5(t.{column})::uuid = md5(k.{column})::uuid"
