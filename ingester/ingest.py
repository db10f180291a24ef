"""`edgelog ingest`: list sources, skip what the ledger has, load the rest."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

import psycopg

from ingester import migrate
from ingester.enrich.geo import GeoLookup
from ingester.load.ledger import already_loaded, batched, not_due
from ingester.load.memory import keep_heap_small
from ingester.load.messages import Outcome
from ingester.load.partitions import Partitions, ahead
from ingester.load.salt import destroy_expired_day_keys, visitor_salt
from ingester.load.workers import WorkerPool, default_count
from ingester.progress import Progress
from ingester.settings import Settings
from ingester.sources import ObjectRef, open_source

log = logging.getLogger(__name__)

INGEST_LOCK = 0x6564_6765_6C6F_67  # "edgelog": one ingest at a time per database


class SchemaNotCurrent(RuntimeError):
    pass


@dataclass
class Summary:
    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    lines_read: int = 0
    lines_loaded: int = 0
    lines_duplicate: int = 0
    lines_rejected: int = 0
    retried: int = 0  # loads started over after a conflict with another loader
    held_back: int = 0  # failed objects whose next attempt is not due (or none is left)
    seconds: float = 0.0
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        counts = outcome.counts
        if outcome.status == "conflict":  # its lines are counted when it is loaded again
            self.retried += 1
            return
        self.lines_read += counts.read
        if outcome.status != "loaded":
            self.failed += 1
            self.failures.append(outcome)
            return
        self.loaded += 1
        self.lines_loaded += counts.loaded
        self.lines_duplicate += counts.duplicate
        self.lines_rejected += counts.rejected

    @property
    def lines_per_second(self) -> float:
        return self.lines_read / self.seconds if self.seconds else 0.0


def ingest(
    locations: Sequence[str],
    settings: Settings,
    url: str,
    progress: Progress,
    since: datetime | None = None,
    stop: threading.Event | None = None,
    max_attempts: int | None = None,
) -> Summary:
    """Load every object under `locations` not yet loaded; `stop` ends the run between objects.

    With `max_attempts` (the service), an object that failed is tried again only when its
    retry time has come, and no more after `max_attempts` failures (see ledger.fail).
    """
    if not migrate.is_current(url):
        raise SchemaNotCurrent("the database schema is not current: run `edgelog db upgrade`")
    keep_heap_small()
    summary = Summary()
    started = time.monotonic()
    stop = stop or threading.Event()
    with ExitStack() as stack:
        conn = stack.enter_context(psycopg.connect(url, autocommit=True))
        load_conn = stack.enter_context(psycopg.connect(url))
        _lock(conn, progress)
        Partitions().ensure(conn, ahead(datetime.now(UTC).date()))
        salt = visitor_salt(conn, settings.salt, settings.salt_file)
        destroy_expired_day_keys(conn, datetime.now(UTC).date())
        GeoLookup(settings.geoip_db).close()  # says once, here, when there is no geography
        loader = _loader(load_conn, salt, settings, url, progress)
        # Several locations may name one object (a directory and a file in it, a glob,
        # a symlink): it is loaded once. One source never lists an object twice.
        seen: set[tuple[str, str]] | None = set() if len(locations) > 1 else None
        try:
            for location in locations:
                source = open_source(location, concurrency=settings.download_concurrency)
                for batch in batched(_once(source.list(since), seen)):
                    done = already_loaded(conn, batch, source.digest)
                    summary.skipped += len(done)
                    progress.skipped(len(done))
                    if max_attempts is not None:
                        held = not_due(conn, [r for r in batch if r not in done], max_attempts)
                        summary.held_back += len(held)
                        done |= held
                    todo = [r for r in batch if r not in done]
                    _load_batch(loader, source, todo, summary, stop, progress)
                    if stop.is_set():
                        break
                if stop.is_set():
                    break
        finally:
            _record(loader.close(), summary, progress)
        # Keys made in this run for days already past (late lines) go at once.
        destroy_expired_day_keys(conn, datetime.now(UTC).date())
    summary.seconds = time.monotonic() - started
    return summary


def _once(refs: Iterable[ObjectRef], seen: set[tuple[str, str]] | None) -> Iterator[ObjectRef]:
    for ref in refs:
        if seen is not None:
            if (ref.source, ref.key) in seen:
                continue
            seen.add((ref.source, ref.key))
        yield ref


def _load_batch(loader, source, refs, summary: Summary, stop, progress) -> None:
    fetching = source.fetch(refs)
    try:
        for fetched in fetching:
            try:
                loader.load(fetched)
            finally:
                if fetched.stream is not None:
                    fetched.stream.close()
            _record(loader.outcomes(), summary, progress)
            if stop.is_set():
                return
    finally:
        fetching.close()  # stop downloads that were prefetched for nothing


def _record(outcomes: list[Outcome], summary: Summary, progress: Progress) -> None:
    for outcome in outcomes:
        summary.add(outcome)
        progress.finished(outcome)


def _loader(conn, salt: bytes, settings: Settings, url: str, progress: Progress):
    from ingester.load.loader import Loader
    from ingester.load.parsing import ObjectParser

    local = Loader(conn, partial(ObjectParser, settings, url, salt), progress.lines)
    workers = default_count() if settings.workers == "auto" else settings.workers
    # Even without worker processes the pool is what loads an object again after a conflict.
    return WorkerPool(workers - 1, settings, url, salt, progress.lines, local)


def _lock(conn: psycopg.Connection, progress: Progress) -> None:
    if not conn.execute("select pg_try_advisory_lock(%s)", [INGEST_LOCK]).fetchone()[0]:
        progress.note("another edgelog ingest is running on this database; waiting for it")
        conn.execute("select pg_advisory_lock(%s)", [INGEST_LOCK])
