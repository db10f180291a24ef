"""Bounded caches for the hot loop.

Each distinct value is worked out once and remembered; to keep memory flat
however long a run is, a full cache forgets its older half. Insertion order
is age (dicts keep it), so forgetting costs nothing until it happens.
"""

from __future__ import annotations

from itertools import islice

LIMIT = 15_000  # entries per cache: a few MB each


def remember(cache: dict, key, value, limit: int = LIMIT):
    """Store `value` under `key` and return it, making room first if needed."""
    if len(cache) >= limit:
        for old in list(islice(cache, limit // 2)):
            del cache[old]
    cache[key] = value
    return value
