"""Day partitions of `requests`, created ahead of the rows, in short transactions.

A partition is made as a plain table, then attached: ATTACH PARTITION locks
`requests` only in SHARE UPDATE EXCLUSIVE mode, which neither loaders' COPY
nor any reader (a metrics refresh) conflicts with. CREATE TABLE … PARTITION
OF would lock `requests` exclusively, and inside an object's transaction it
would hold that lock until the object commits, stalling every other loader
and every reader. So partitions are made in a transaction of their own:
today's and tomorrow's at the start of a run, and before an object's
transaction opens, those of the days its first chunk holds (a later chunk
reaching a new day starts the object over, see copier.py). Loaders making
partitions take an advisory lock, so two never make the same one.

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
from psycopg.pq import TransactionStatus

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


PARTITION_LOCK = 0x6564_6765_7061_7274  # "edgepart": one loader makes partitions at a time


class Partitions:
    def __init__(self) -> None:
        self.known: set[date] | None = None  # days with a partition, loaded lazily

    def missing(self, conn: psycopg.Connection, days: Iterable[str | date]) -> set[date]:
        """The days without a partition (another loader may have made some meanwhile)."""
        wanted = {as_day(d) for d in days}
        if self.known is None or not wanted <= self.known:
            self.known = covered_days(conn)
        return wanted - self.known

    def ensure(self, conn: psycopg.Connection, days: Iterable[str | date]) -> None:
        """Make the missing partitions, in a transaction of their own.

        Call it outside any transaction: the partitions must be committed, and
        visible to every loader, before rows go in.
        """
        if not conn.autocommit and conn.info.transaction_status != TransactionStatus.IDLE:
            raise RuntimeError("partitions are made outside the loading transaction")
        missing = self.missing(conn, days)
        if not conn.autocommit:
            conn.commit()  # reading the catalogue opened a transaction
        if not missing:
            return
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", [PARTITION_LOCK])
            for day in sorted(missing - covered_days(conn)):
                create(conn, day)
        self.known |= missing


def ahead(today: date) -> list[date]:
    """Days whose partitions exist before their rows arrive: live logs never wait."""
    return [today, today + timedelta(days=1)]


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
    index = sql.Identifier(partition_name(day) + "_key")
    lower, upper = sql.Literal(f"{day} 00:00+00"), sql.Literal(f"{day + timedelta(1)} 00:00+00")
    conn.execute(sql.SQL("create table if not exists {} (like requests)").format(name))
    # Duplicates share their timestamp, so a per-day unique key is enough.
    conn.execute(
        sql.SQL("create unique index if not exists {} on {} (request_key)").format(index, name)
    )
    conn.execute(
        sql.SQL("alter table requests attach partition {} for values from ({}) to ({})").format(
            name, lower, upper
        )
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
