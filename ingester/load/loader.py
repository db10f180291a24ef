"""Loading source objects, each exactly once.

Everything an object produces (its rows, its quarantined lines and its
ledger row) is written in one transaction by the Copier thread; the day
partitions it needs are made before, in short transactions of their own.
Killed half way, the database rolls it all back and the next run loads the
object again from the start; the unique request key makes any overlap count
once.

A `Loader` parses on its thread and writes on the copier's; several of them
run side by side in worker processes (see workers.py).
"""

from __future__ import annotations

import queue
import sys
from collections.abc import Callable

import psycopg

from ingester.load.copier import Copier
from ingester.load.messages import Chunk, Outcome
from ingester.load.parsing import ObjectParser
from ingester.sources import Fetched


class Loader:
    def __init__(
        self,
        conn: psycopg.Connection,
        parser: Callable[[Callable], ObjectParser],
        on_lines: Callable[[int], None],
    ):
        # Losing the last commits in a server crash is safe here: the ledger row
        # goes with its rows, so those objects are simply loaded again.
        conn.execute("set synchronous_commit = off")
        conn.commit()
        # The copier waits on the server several times per object; when its answer
        # comes, it should not wait long for the GIL the parser holds.
        sys.setswitchinterval(0.002)
        self.copier = Copier(conn)
        self.copier.start()
        self.parser = parser(self._forward)
        self.on_lines = on_lines

    def load(self, fetched: Fetched, attempt: int = 1) -> None:
        """Parse one object and queue it for the copier; `outcomes` tells how it went."""
        self.parser.parse(fetched.ref, fetched.stream, fetched.error, attempt)

    def flush(self) -> None:
        """Hand over the objects held back for dimension lookups."""
        self.parser.outbox.flush()

    def outcomes(self) -> list[Outcome]:
        """Objects finished since the last call."""
        done = []
        while True:
            try:
                done.append(self.copier.outcomes.get_nowait())
            except queue.Empty:
                return done

    def drain(self) -> list[Outcome]:
        """Wait until every object given so far is finished; their outcomes."""
        self.flush()
        self.copier.idle()
        return self.outcomes()

    def close(self) -> list[Outcome]:
        """Wait for every queued object; the outcomes not yet collected."""
        try:
            self.flush()
            self.copier.close()
        finally:
            self.parser.close()
        return self.outcomes()

    def _forward(self, message) -> None:
        if isinstance(message, Chunk):
            self.on_lines(message.read)
        self.copier.send(message)
