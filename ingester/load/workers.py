"""Loader worker processes: parsing spreads over the cores.

Parsing a line costs the GIL several microseconds, COPY costs PostgreSQL far
less, so parsing is what needs the cores. Each worker is a whole `Loader`
(parser, caches, its own connections and copier thread) that loads the
objects it is given, each in its own transaction, and reports outcomes.
The ingesting process lists, fetches and hands out files.

Workers are spawned (fresh interpreters, whatever threads the ingesting
process runs) and import the parsing code themselves.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

import psycopg

from ingester import log_format
from ingester.enrich import geo
from ingester.load.memory import keep_heap_small
from ingester.load.messages import Outcome
from ingester.settings import Settings
from ingester.sources import Fetched, ObjectRef

IN_FLIGHT = 16  # objects per worker given out and not yet reported: keeps workers busy


@dataclass
class Task:
    """An object to load: a file to open (its own or a copy), or why it could not be read."""

    ref: ObjectRef
    path: str | None
    error: str | None
    attempt: int = 1


@dataclass
class Lines:
    """Progress: lines a worker has read since its last report."""

    count: int


@dataclass
class Fatal:
    """A worker lost its database connection."""

    error: str


def _work(index: int, settings: Settings, url: str, salt: bytes, tasks, results) -> None:
    from ingester.load.loader import Loader  # the ingesting process itself never needs them
    from ingester.load.parsing import ObjectParser

    _exit_with_parent()
    keep_heap_small()
    # A fresh interpreter: log like the parent, which has already said what it had to
    # about the GeoIP database (once, not once more per worker).
    log_format.configure(settings.log_level, settings.log_format)
    geo.warned_already()
    conn = psycopg.connect(url)
    report = lambda message: results.put((index, message))  # noqa: E731
    loader = Loader(conn, partial(ObjectParser, settings, url, salt), lambda n: report(Lines(n)))
    # Outcomes go back as soon as the copier has them, not when the next task comes.
    forwarder = threading.Thread(target=_forward, args=(loader.copier.outcomes, report))
    forwarder.start()
    try:
        while True:
            try:
                task = tasks.get(timeout=0.05)
            except queue.Empty:  # idle: let objects held for dimension lookups go
                loader.flush()
                task = tasks.get()
            if task is None:
                break
            _load_path(loader, task)
        loader.close()
    except psycopg.Error as exc:  # the database went away: the run cannot go on
        report(Fatal(f"{type(exc).__name__}: {exc}"))
    finally:
        loader.copier.outcomes.put(None)
        forwarder.join()
        conn.close()


def _forward(outcomes: queue.Queue, report) -> None:
    while (outcome := outcomes.get()) is not None:
        report(outcome)


def _exit_with_parent() -> None:
    """Die with the ingesting process, even when it is killed: a killed run must
    not leave loaders behind (their open transactions then roll back)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _load_path(loader, task: Task) -> None:
    try:
        if task.path is None:
            raise OSError(task.error or "could not be read")
        stream = open(task.path, "rb")  # noqa: SIM115 - closed below, whatever happens
    except OSError as exc:
        loader.load(Fetched(task.ref, None, error=str(exc)), task.attempt)
        return
    with stream:
        loader.load(Fetched(task.ref, stream), task.attempt)


class WorkerDied(RuntimeError):
    pass


class WorkerPool:
    """Same interface as Loader (`load`, `outcomes`, `close`).

    The ingesting process is one of the loaders: `local` takes an object
    whenever the worker processes have enough queued (or there are none). One
    process fewer is one copy fewer of the libraries and caches in memory.

    An object that collided with another loader is loaded again from its
    file, up to ATTEMPTS times; each collision is reported as a "conflict"
    outcome, so runs count them.
    """

    def __init__(self, count: int, settings: Settings, url: str, salt: bytes, on_lines, local):
        # spawn: a fresh interpreter, safe whatever threads this process runs.
        context = multiprocessing.get_context("spawn")
        self.local = local
        self.results = context.Queue()
        self.tasks = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(
                target=_work,
                args=(i, settings, url, salt, self.tasks[i], self.results),
                name="edgelog-load",
                daemon=True,
            )
            for i in range(count)
        ]
        for process in self.processes:
            process.start()
        self.given = [0] * count  # objects given to each worker and not reported yet
        self.on_lines: Callable[[int], None] = on_lines
        self.spool = tempfile.mkdtemp(prefix="edgelog-objects-")
        self.copies: dict[ObjectRef, str] = {}
        self.in_flight: dict[ObjectRef, Task] = {}
        self.done: list[Outcome] = []

    def load(self, fetched: Fetched) -> None:
        self.outcomes_from_workers()
        self._give(Task(fetched.ref, self._path(fetched), fetched.error))

    def _give(self, task: Task) -> None:
        self.in_flight[task.ref] = task
        if self.given and min(self.given) < IN_FLIGHT:
            index = self.given.index(min(self.given))
            self.given[index] += 1
            self.tasks[index].put(task)
            return
        _load_path(self.local, task)  # the workers are busy enough, or there are none

    def outcomes_from_workers(self) -> None:
        while (message := self._receive(wait=False)) is not None:
            self._take(message)

    def outcomes(self) -> list[Outcome]:
        self.outcomes_from_workers()
        self._settle_local(self.local.outcomes())
        done, self.done = self.done, []
        return done

    def close(self) -> list[Outcome]:
        try:
            self._finish_all()
        finally:
            try:
                last = self.local.close()
            finally:
                self._stop_workers()
        self._settle_local(last)
        return self.outcomes()

    def _finish_all(self) -> None:
        """Wait for every object, including those given again after a conflict."""
        while True:
            finished = self.local.drain()
            self._settle_local(finished)
            if any(self.given):
                self._take(self._receive(wait=True))
            elif not finished:
                return

    def _stop_workers(self) -> None:
        for tasks in self.tasks:  # also after an error: idle workers wait for this
            tasks.put(None)
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        shutil.rmtree(self.spool, ignore_errors=True)

    def _receive(self, wait: bool):
        while True:
            try:
                return self.results.get(timeout=1) if wait else self.results.get_nowait()
            except queue.Empty:
                if (code := self._lost_worker()) is not None:
                    # Its last words (a Fatal) may still be on the way through the pipe.
                    try:
                        return self.results.get(timeout=2)
                    except queue.Empty:
                        raise WorkerDied(f"a loader worker exited with {code}") from None
                if not wait:
                    return None

    def _lost_worker(self) -> int | None:
        """Exit code of a worker that stopped while it still had objects."""
        for process, given in zip(self.processes, self.given, strict=True):
            if given and not process.is_alive():
                return process.exitcode
        return None

    def _take(self, message) -> None:
        index, message = message
        if isinstance(message, Lines):
            self.on_lines(message.count)
            return
        if isinstance(message, Fatal):
            raise psycopg.OperationalError(message.error)
        self.given[index] -= 1
        self._settle(message)

    def _settle_local(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self._settle(outcome)

    def _settle(self, outcome: Outcome) -> None:
        """Keep an outcome, and load the object again if it collided with another loader
        (the copier fails it instead at the last attempt)."""
        task = self.in_flight.pop(outcome.ref)
        self.done.append(outcome)
        if outcome.status == "conflict":
            self._give(replace(task, attempt=task.attempt + 1))
            return
        copy = self.copies.pop(outcome.ref, None)
        if copy:
            os.unlink(copy)

    def _path(self, fetched: Fetched) -> str | None:
        """A file a worker can open: the object's own, or a copy of its bytes."""
        if fetched.stream is None:
            return None
        name = getattr(fetched.stream, "name", None)
        if isinstance(name, str) and os.path.isfile(name):
            return name
        with tempfile.NamedTemporaryFile(dir=self.spool, delete=False) as copy:
            shutil.copyfileobj(fetched.stream, copy, 1 << 20)
        self.copies[fetched.ref] = copy.name
        return copy.name


def default_count() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
