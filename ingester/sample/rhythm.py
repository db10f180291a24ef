"""When people visit: daily and weekly rhythm in each visitor's local time.

A site's expected visits in a UTC hour are the sum over its audience cities of the city's share
times the relative traffic at that city's local hour and weekday, so a European shop peaks in the
European evening while its American visitors arrive later.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from itertools import accumulate

from ingester.sample.places import CITIES
from ingester.sample.sites.model import Site

# Relative traffic by local hour 0..23 and weekday Monday..Sunday.
# fmt: off
LEISURE_HOURS = (0.30, 0.16, 0.09, 0.06, 0.05, 0.07, 0.15, 0.32, 0.50, 0.62, 0.70, 0.75,
                 0.80, 0.78, 0.75, 0.74, 0.76, 0.82, 0.92, 1.00, 1.00, 0.90, 0.70, 0.48)
OFFICE_HOURS = (0.10, 0.06, 0.04, 0.03, 0.04, 0.08, 0.20, 0.45, 0.80, 0.95, 1.00, 0.98,
                0.85, 0.92, 0.98, 0.95, 0.85, 0.65, 0.45, 0.38, 0.35, 0.30, 0.22, 0.15)
LEISURE_DAYS = (0.95, 0.92, 0.93, 0.95, 0.95, 1.05, 1.15)  # shopping peaks on Sunday
OFFICE_DAYS = (1.05, 1.08, 1.05, 1.00, 0.88, 0.42, 0.45)
# fmt: on

HOUR = 3600
DAY = 86400


def weekday(ts: float) -> int:
    """Monday 0 .. Sunday 6 (the epoch was a Thursday)."""
    return (int(ts // DAY) + 3) % 7


class Rhythm:
    """Expected human visits per UTC hour for one site, and the cities they come from."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cities = list(site.audience)
        # One slot per UTC hour of the week; everything repeats weekly.
        self._slots = [
            self._slot(day * DAY + hour * HOUR) for day in range(4, 11) for hour in range(24)
        ]
        self._per_day = sum(total for total, _ in self._slots) / 7

    def _slot(self, hour_start: int) -> tuple[float, list[float]]:
        weights = []
        for key in self.cities:
            local = hour_start + HOUR // 2 + CITIES[key].utc_offset * HOUR
            hour = int(local // HOUR) % 24
            weights.append(
                self.site.audience[key] * self.site.hours[hour] * self.site.days[weekday(local)]
            )
        cumulative = list(accumulate(weights))
        return cumulative[-1], cumulative

    def _slot_at(self, hour_start: int) -> tuple[float, list[float]]:
        return self._slots[weekday(hour_start) * 24 + int(hour_start // HOUR) % 24]

    def visits(self, hour_start: int) -> float:
        """Expected visits (sessions) starting in this hour, before peaks."""
        total, _ = self._slot_at(hour_start)
        return self.site.sessions_per_day * total / self._per_day

    def city(self, rng: random.Random, hour_start: int) -> str:
        """Where a visitor arriving in this hour is, weighted by who is awake there."""
        total, cumulative = self._slot_at(hour_start)
        return self.cities[bisect(cumulative, rng.random() * total)]


def poisson(rng: random.Random, mean: float) -> int:
    """How many of something happen in an hour that expects `mean` of them."""
    if mean <= 0:
        return 0
    if mean > 40:  # normal approximation; exact enough and constant time
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
