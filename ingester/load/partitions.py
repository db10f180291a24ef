"""Day partitions of `requests`, created on demand inside the loading transaction.

Creating them in the same transaction as the rows means a failed load leaves
no empty partition behind, and a day is never visible half-created.

A partition's name and bounds always come from a real `date`, never from
log text. What already exists is read from the partitions' bounds, not their
names: a database may hold partitions named otherwise (by an older version,
or by hand), and loading, retention and the metrics must all cope with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import psycopg
from psycopg import sql

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

# Each partition with its bounds as UTC timestamps; NULL bounds for a DEFAULT
# partition or MINVALUE/MAXVALUE, which no day is derived from.
BOUNDS = """
    select relname, lower at time zone 'UTC', upper at time zone 'UTC'
    from (
        select c.relname, b[1]::timestamptz as lower, b[2]::timestamptz as upper
        from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        cross join lateral regexp_match(
            pg_get_expr(c.relpartbound, c.oid), $$FROM \\('([^']+)'\\) TO \\('([^']+)'\\)$$
        ) as b
        where i.inhparent = 'requests'::regclass
    ) p
"""


def as_day(value: str | date) -> date:
    """A day from a `date` or a strict YYYY-MM-DD text; ValueError otherwise."""
    if isinstance(value, date):
        return value
    if not DAY.fullmatch(value):
        raise ValueError(f"not a YYYY-MM-DD day: {value!r}")
    return date.fromisoformat(value)


def partition_name(day: str | date) -> str:
    return f"requests_{as_day(day):%Y%m%d}"


class Partitions:
    def __init__(self) -> None:
        self.known: set[date] | None = None  # days with a partition, loaded lazily

    def forget(self) -> None:
        """After a rollback: partitions created in it are gone."""
        self.known = None

    def ensure(self, conn: psycopg.Connection, days: Iterable[str | date]) -> None:
        """Create missing partitions in the connection's current transaction."""
        if self.known is None:
            self.known = covered_days(conn)
        for day in sorted({as_day(d) for d in days} - self.known):
            create(conn, day)
            self.known.add(day)

    def ensure_outside(self, conn: psycopg.Connection, days: Iterable[str | date]) -> None:
        """Create missing partitions each in a transaction of its own.

        Used before an object's transaction opens: creating a partition locks
        `requests` exclusively, which waits for other loaders' transactions to
        end; holding nothing meanwhile, this cannot deadlock with them.
        """
        if self.known is None:
            self.known = covered_days(conn)
            conn.commit()
        for day in sorted({as_day(d) for d in days} - self.known):
            with conn.transaction():
                create(conn, day)
            self.known.add(day)


def bounds(conn: psycopg.Connection) -> list[tuple[str, datetime, datetime]]:
    """(name, lower, upper) of every range partition of `requests`, bounds in UTC."""
    return conn.execute(BOUNDS).fetchall()


def covered_days(conn: psycopg.Connection) -> set[date]:
    """Every day some partition holds rows of, whatever the partition is called."""
    days = set()
    for _name, lower, upper in bounds(conn):
        days.update(_days(lower, upper))
    return days


def _days(lower: datetime, upper: datetime) -> list[date]:
    """The days a range [lower, upper) holds rows of, even in part."""
    days, day = [], lower.date()
    while datetime.combine(day, datetime.min.time()) < upper:
        days.append(day)
        day += timedelta(days=1)
    return days


def existing_days(conn: psycopg.Connection) -> set[str]:
    """The days with a partition, as YYYY-MM-DD."""
    return {day.isoformat() for day in covered_days(conn)}


def create(conn: psycopg.Connection, day: date) -> None:
    name = sql.Identifier(partition_name(day))
    lower, upper = sql.Literal(f"{day} 00:00+00"), sql.Literal(f"{day + timedelta(1)} 00:00+00")
    conn.execute(
        sql.SQL(
            "create table if not exists {} partition of requests for values from ({}) to ({})"
        ).format(name, lower, upper)
    )
    # Duplicates share their timestamp, so a per-day unique key is enough.
    index = sql.Identifier(partition_name(day) + "_key")
    conn.execute(
        sql.SQL("create unique index if not exists {} on {} (request_key)").format(index, name)
    )


def drop_before(conn: psycopg.Connection, cutoff: date) -> list[str]:
    """Drop every partition whose rows are all older than `cutoff` (retention), whatever
    its name; returns the days they held, as YYYY-MM-DD."""
    limit = datetime.combine(cutoff, datetime.min.time())
    dropped = []
    for name, lower, upper in sorted(bounds(conn), key=lambda b: b[1]):
        if upper <= limit:
            conn.execute(sql.SQL("drop table {}").format(sql.Identifier(name)))
            dropped += [day.isoformat() for day in _days(lower, upper)]
    return dropped
