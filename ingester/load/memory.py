"""Keeping a long ingest's memory flat: the C allocator's side of it.

glibc raises its mmap threshold each time a large block is freed, after which
the megabyte-sized buffers of every chunk (decompressed text, joined rows)
come from the heap and leave it fragmented: a run's resident size then creeps
up by tens of MB. A fixed threshold sends such buffers straight back to the
system, and a low trim threshold returns freed heap tops. Elsewhere (musl,
macOS) there is no `mallopt` and nothing to do.
"""

from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
THRESHOLD = 256 * 1024


def keep_heap_small() -> None:
    """Call once per process, before its threads start."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return
    mallopt(M_MMAP_THRESHOLD, THRESHOLD)
    mallopt(M_TRIM_THRESHOLD, THRESHOLD)
