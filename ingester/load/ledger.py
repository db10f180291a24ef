"""The ingest ledger: one row per source object, and what became of it.

`begin` and `finish` run inside the object's loading transaction, so the row
says 'loaded' exactly when the object's rows are committed. `fail` runs after
a rollback, in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import psycopg

from ingester.sources import ObjectRef


@dataclass
class Counts:
    read: int = 0
    loaded: int = 0
    duplicate: int = 0
    rejected: int = 0
    days: set[str] = field(default_factory=set)
    digest: bytes | None = None  # content hash of the bytes read (sources.Hashing)


def begin(conn: psycopg.Connection, ref: ObjectRef) -> int:
    """Claim the object for this transaction; returns its ledger id."""
    object_id, reloaded = conn.execute(
        """
        insert into ingest_ledger as l (source, key, etag, size, status)
        values (%s, %s, %s, %s, 'loading')
        on conflict (source, key) do update
            set etag = excluded.etag, size = excluded.size, status = 'loading',
                started_at = now(), finished_at = null, error = null
        returning id, xmax <> 0
        """,
        [ref.source, ref.key, ref.etag, ref.size],
    ).fetchone()
    if reloaded:  # the object changed: its new load replaces what the old one quarantined
        conn.execute("delete from quarantine where object_id = %s", [object_id])
    return object_id


def finish(conn: psycopg.Connection, object_id: int, counts: Counts) -> None:
    # clock_timestamp(), not now(): now() is when the transaction began, and a reader
    # asking for "loaded since T" would miss a load that began before T and committed after.
    conn.execute(
        """
        update ingest_ledger
        set status = 'loaded', finished_at = clock_timestamp(), error = null,
            lines_read = %s, lines_loaded = %s, lines_duplicate = %s, lines_rejected = %s,
            days = %s::date[], content_hash = %s
        where id = %s
        """,
        [counts.read, counts.loaded, counts.duplicate, counts.rejected, sorted(counts.days),
         counts.digest, object_id],
    )  # fmt: skip
    mark_dirty(conn, counts.days)


def mark_dirty(conn: psycopg.Connection, days: Iterable[str]) -> None:
    """Mark days whose requests changed, in the transaction that changed them, so a
    crash between a load and its refresh loses nothing.

    Days are marked in order: two loaders marking the same days cannot deadlock.
    A new generation tells a refresh running meanwhile that the day changed again.
    """
    if days:
        conn.execute(
            """
            insert into dirty_days (day) select unnest(%s::date[]) order by 1
            on conflict (day) do update set generation = nextval('dirty_days_generation')
            """,
            [sorted(days)],
        )


def fail(conn: psycopg.Connection, ref: ObjectRef, error: str, read: int) -> None:
    with conn.transaction():
        conn.execute(
            """
            insert into ingest_ledger as l (source, key, etag, size, status, error,
                                            lines_read, finished_at, attempts, retry_at)
            values (%s, %s, %s, %s, 'failed', %s, %s, now(), 1, now() + interval '1 minute')
            on conflict (source, key) do update
                set etag = excluded.etag, size = excluded.size, status = 'failed',
                    error = excluded.error, lines_read = excluded.lines_read,
                    lines_loaded = 0, lines_duplicate = 0, lines_rejected = 0,
                    started_at = now(), finished_at = now(),
                    -- A changed object starts its count again. Each failure waits 4 times
                    -- longer before the next try: 1, 4, 16, 64 minutes, then 4 hours at most.
                    attempts = case when l.status = 'failed' and l.etag is not distinct from
                                    excluded.etag then l.attempts + 1 else 1 end,
                    retry_at = now() + make_interval(mins => least(
                        power(4, case when l.status = 'failed' and l.etag is not distinct from
                                      excluded.etag then l.attempts else 0 end), 240)::integer)
            """,
            [ref.source, ref.key, ref.etag, ref.size, error[:2000], read],
        )


def not_due(
    conn: psycopg.Connection, refs: Sequence[ObjectRef], max_attempts: int
) -> set[ObjectRef]:
    """Those refs that failed before, unchanged, and are not to be tried now: their retry
    time has not come, or they failed `max_attempts` times (then they stay failed)."""
    by_source: dict[str, list[ObjectRef]] = {}
    for ref in refs:
        by_source.setdefault(ref.source, []).append(ref)
    held = set()
    for source, group in by_source.items():
        rows = conn.execute(
            "select key, etag, size from ingest_ledger where source = %s and key = any(%s)"
            " and status = 'failed' and (attempts >= %s or retry_at > now())",
            [source, [r.key for r in group], max_attempts],
        ).fetchall()
        seen = {key: (etag, size, None) for key, etag, size in rows}
        held.update(ref for ref in group if _same(seen.get(ref.key), ref))
    return held


def due_failures(
    conn: psycopg.Connection, source: str, prefix: str, max_attempts: int
) -> list[str]:
    """Keys under `prefix` that failed fewer than `max_attempts` times and are due again."""
    return [
        key
        for (key,) in conn.execute(
            "select key from ingest_ledger where source = %s and starts_with(key, %s)"
            " and status = 'failed' and attempts < %s and retry_at <= now() order by key",
            [source, prefix, max_attempts],
        )
    ]


def already_loaded(
    conn: psycopg.Connection,
    refs: Sequence[ObjectRef],
    digest: Callable[[ObjectRef], bytes | None] | None = None,
) -> set[ObjectRef]:
    """Those refs the ledger has as loaded with the same ETag (or, without one, size).

    When only the ETag differs and `digest` can hash the object (a local file
    touched or copied), the same content counts as loaded too, and the ledger
    takes the new ETag so the next run need not hash it again.
    """
    by_source: dict[str, list[ObjectRef]] = {}
    for ref in refs:
        by_source.setdefault(ref.source, []).append(ref)
    done = set()
    for source, group in by_source.items():
        rows = conn.execute(
            "select key, etag, size, content_hash from ingest_ledger "
            "where source = %s and key = any(%s) and status = 'loaded'",
            [source, [r.key for r in group]],
        ).fetchall()
        seen = {key: row for key, *row in rows}
        for ref in group:
            if _same(seen.get(ref.key), ref):
                done.add(ref)
            elif digest and _same_content(seen.get(ref.key), ref, digest):
                conn.execute(
                    "update ingest_ledger set etag = %s where source = %s and key = %s",
                    [ref.etag, ref.source, ref.key],
                )
                done.add(ref)
    return done


def _same(seen: tuple | None, ref: ObjectRef) -> bool:
    if seen is None:
        return False
    etag, size, _ = seen
    if ref.etag:  # a row without an ETag predates them: its content is unknown
        return ref.etag == etag
    return ref.size == size


def _same_content(seen: tuple | None, ref: ObjectRef, digest) -> bool:
    if seen is None or seen[2] is None or seen[1] != ref.size:
        return False
    return bytes(seen[2]) == digest(ref)


def batched(refs: Iterable[ObjectRef], size: int = 500):
    batch: list[ObjectRef] = []
    for ref in refs:
        batch.append(ref)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def begin_many(conn: psycopg.Connection, refs: Sequence[ObjectRef]) -> list[int]:
    """`begin` for a batch of objects in one statement; their ids, in the order of `refs`."""
    rows = conn.execute(
        """
        insert into ingest_ledger as l (source, key, etag, size, status)
        select source, key, etag, size, 'loading'
        from unnest(%s::text[], %s::text[], %s::text[], %s::bigint[]) as t(source, key, etag, size)
        on conflict (source, key) do update
            set etag = excluded.etag, size = excluded.size, status = 'loading',
                started_at = now(), finished_at = null, error = null
        returning id, xmax <> 0, source, key
        """,
        [[r.source for r in refs], [r.key for r in refs], [r.etag for r in refs],
         [r.size for r in refs]],
    ).fetchall()  # fmt: skip
    ids = {(source, key): object_id for object_id, _, source, key in rows}
    reloaded = [object_id for object_id, again, _, _ in rows if again]
    if reloaded:  # as in `begin`: a changed object's new load replaces what it quarantined
        conn.execute("delete from quarantine where object_id = any(%s)", [reloaded])
    return [ids[(r.source, r.key)] for r in refs]
