"""Feedback while ingesting: a rich progress bar in a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import (
    Progress as RichBar,
)

log = logging.getLogger("ingester.ingest")


class Progress(Protocol):
    def note(self, message: str) -> None: ...
    def skipped(self, objects: int) -> None: ...
    def lines(self, count: int) -> None: ...
    def finished(self, outcome) -> None: ...
    def close(self) -> None: ...


class LogProgress:
    """One log line per object: for services, pipes and CI."""

    def note(self, message: str) -> None:
        log.info(message)

    def skipped(self, objects: int) -> None:
        if objects:
            log.info("skipped %d object(s) already loaded", objects)

    def lines(self, count: int) -> None:
        pass

    def finished(self, outcome) -> None:
        c = outcome.counts
        if outcome.status == "conflict":
            log.warning("loading %s again after a conflict: %s", outcome.ref.key, outcome.error)
            return
        if outcome.status == "failed":
            log.error("failed %s after %d lines: %s", outcome.ref.key, c.read, outcome.error)
            return
        log.info(
            "loaded %s: %d lines, %d new, %d duplicate, %d quarantined (%.2f s)",
            outcome.ref.key, c.read, c.loaded, c.duplicate, c.rejected, outcome.seconds,
        )  # fmt: skip

    def close(self) -> None:
        pass


class BarProgress:
    """Objects, lines and lines/s on a live bar (total unknown while listing)."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.bar = RichBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("objects · {task.fields[lines]:,} lines · {task.fields[rate]:,.0f} lines/s"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.bar.add_task("ingesting", total=None, lines=0, rate=0.0)
        self.total_lines = 0
        self.bar.start()

    def note(self, message: str) -> None:
        self.console.print(message)

    def skipped(self, objects: int) -> None:
        self.bar.update(self.task, advance=objects)

    def lines(self, count: int) -> None:
        self.total_lines += count
        elapsed = self.bar.tasks[0].elapsed or 0
        rate = self.total_lines / elapsed if elapsed else 0.0
        self.bar.update(self.task, lines=self.total_lines, rate=rate)

    def finished(self, outcome) -> None:
        if outcome.status == "conflict":
            return  # it is loaded again: it advances the bar then
        self.bar.update(self.task, advance=1)
        if outcome.status == "failed":
            self.console.print(f"[red]failed[/red] {outcome.ref.key}: {outcome.error}")

    def close(self) -> None:
        self.bar.stop()


def progress_for_terminal() -> Progress:
    return BarProgress() if sys.stderr.isatty() else LogProgress()
