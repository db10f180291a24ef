"""Latency histograms: mergeable, with a known relative error (as DDSketch does).

A duration of v milliseconds falls in bucket 0 when v is 0, else in bucket
k = ceil(log_g v) + 1 with g = GAMMA = 1.02, which holds (g^(k-2), g^(k-1)]. A
bucket stands for 2 g^(k-1) / (g + 1), which is within (g - 1) / (g + 1) of every
value in it, relatively: below 0.0099, so a percentile read from the buckets is
within 1 % of the exact one (the value of rank ceil(q n) in sorted order). Buckets of
rows add up (merge = sum per bucket), over hours, days, edges or paths alike,
which exact percentiles never do. Rollups keep only the buckets that hold a
request, as two arrays: bucket numbers and counts.

The SQL functions `latency_bucket(ms)`, `latency_ms(bucket)` and
`latency_quantile(buckets, counts, q)` (migration 0006) are the same as these.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

GAMMA = 1.02
RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1)


def bucket(ms: int) -> int:
    return 0 if ms <= 0 else math.ceil(math.log(ms) / math.log(GAMMA)) + 1


def value(k: int) -> float:
    return 0.0 if k == 0 else 2 * GAMMA ** (k - 1) / (GAMMA + 1)


def quantile(histogram: dict[int, int], q: float) -> float | None:
    """The q-quantile (0 < q ≤ 1) of a merged histogram {bucket: count}."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    running = 0
    for k in sorted(histogram):
        running += histogram[k]
        if running >= rank:
            return value(k)
    return None


def histogram(values: Iterable[int]) -> dict[int, int]:
    return dict(Counter(bucket(v) for v in values))


def exact_quantile(values: Iterable[int], q: float) -> int | None:
    """The exact q-quantile by nearest rank: what `quantile` approximates."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]
