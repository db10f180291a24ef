"""What parsing sends to the copier about one object: Begin, Chunk…, End or Abort.

Plain dataclasses, so they travel between processes as they are.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ingester.load.ledger import Counts
from ingester.sources import ObjectRef

# Loads of one object in a run: a conflict with another loader (a deadlock, a partition
# made twice) or a new day after the first chunk starts it over, at most this often.
ATTEMPTS = 5


@dataclass
class Begin:
    ref: ObjectRef
    attempt: int = 1  # the last one (ATTEMPTS) records a conflict as a failure
    started: float = field(default_factory=time.monotonic)


@dataclass
class Chunk:
    data: bytes  # COPY text of `rows` requests
    rows: int
    days: set[str]
    rejects: list[tuple]  # (line number, reason, raw line)
    read: int  # lines read since the previous chunk, for progress


@dataclass
class End:
    counts: Counts  # what parsing saw: lines read, duplicates within chunks, rejects, days


@dataclass
class Abort:
    error: str
    read: int


@dataclass
class Outcome:
    ref: ObjectRef
    status: str  # loaded | failed | conflict (to be loaded again)
    counts: Counts
    seconds: float
    error: str | None = None
