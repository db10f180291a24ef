"""Day partitions of `requests`, created on demand inside the loading transaction.

Creating them in the same transaction as the rows means a failed load leaves
no empty partition behind, and a day is never visible half-created.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import psycopg


def partition_name(day: str) -> str:
    return "requests_" + day.replace("-", "")


class Partitions:
    def __init__(self) -> None:
        self.known: set[str] | None = None  # days with a partition, loaded lazily

    def forget(self) -> None:
        """After a rollback: partitions created in it are gone."""
        self.known = None

    def ensure(self, conn: psycopg.Connection, days: Iterable[str]) -> None:
        """Create missing partitions in the connection's current transaction."""
        if self.known is None:
            self.known = existing_days(conn)
        for day in sorted(set(days) - self.known):
            create(conn, day)
            self.known.add(day)

    def ensure_outside(self, conn: psycopg.Connection, days: Iterable[str]) -> None:
        """Create missing partitions each in a transaction of its own.

        Used before an object's transaction opens: creating a partition locks
        `requests` exclusively, which waits for other loaders' transactions to
        end; holding nothing meanwhile, this cannot deadlock with them.
        """
        if self.known is None:
            self.known = existing_days(conn)
            conn.commit()
        for day in sorted(set(days) - self.known):
            with conn.transaction():
                create(conn, day)
            self.known.add(day)


def existing_days(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
        "where i.inhparent = 'requests'::regclass"
    ).fetchall()
    return {f"{r[0][9:13]}-{r[0][13:15]}-{r[0][15:17]}" for r in rows}


def create(conn: psycopg.Connection, day: str) -> None:
    start = date.fromisoformat(day)
    name = partition_name(day)
    conn.execute(
        f"create table if not exists {name} partition of requests "
        f"for values from ('{start} 00:00+00') to ('{start + timedelta(days=1)} 00:00+00')"
    )
    # Duplicates share their timestamp, so a per-day unique key is enough.
    conn.execute(f"create unique index if not exists {name}_key on {name} (request_key)")


def drop_before(conn: psycopg.Connection, cutoff: date) -> list[str]:
    """Drop whole days older than `cutoff` (retention); returns the days dropped."""
    dropped = []
    for day in sorted(existing_days(conn)):
        if date.fromisoformat(day) < cutoff:
            conn.execute(f"drop table {partition_name(day)}")
            dropped.append(day)
    return dropped
