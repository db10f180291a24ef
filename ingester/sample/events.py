"""What happens once in a while: newsletters, a post going viral, an origin outage.

These are what make dashboards worth looking at: a Tuesday-morning e-mail peak at the shop,
a link-aggregator spike at the blog, and half an hour of 5xx at the SaaS site.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from ingester.sample.records import Outage
from ingester.sample.referrers import Push
from ingester.sample.rhythm import DAY, HOUR, weekday
from ingester.sample.sites.model import Site

VIRAL_POST = "/posts/why-we-moved-off-kubernetes/"
AGGREGATORS = ("https://news.ycombinator.com/",) * 6 + (
    "https://www.reddit.com/",
    "https://lobste.rs/",
)


@dataclass(frozen=True)
class Peak:
    """Extra visits after an event, decaying exponentially."""

    site: str
    start: float
    visits: float  # extra visits in total, at the model's own volume
    decay: float  # hours
    push: Push

    def expected(self, hour_start: int) -> float:
        """Expected extra visits starting within this hour."""
        if hour_start + HOUR <= self.start:
            return 0.0
        since = max(0.0, hour_start - self.start) / HOUR
        until = (hour_start + HOUR - self.start) / HOUR
        return self.visits * (math.exp(-since / self.decay) - math.exp(-until / self.decay))


def plan(rng: random.Random, sites: tuple[Site, ...], start: int, days: int):
    """The peaks and outages of the period."""
    by_key = {site.key: site for site in sites}
    peaks: list[Peak] = []
    for day in range(days):
        midnight = start + day * DAY
        if weekday(midnight) == 1:  # the shop's newsletter goes out on Tuesday mornings
            daily = by_key["shop"].sessions_per_day
            peaks.append(
                Peak(
                    "shop",
                    midnight + 7 * HOUR + rng.randrange(1800),
                    daily * 0.45,
                    4,
                    Push("email"),
                )
            )
        if weekday(midnight) == 3:  # the SaaS product update, Thursday afternoon in Europe
            daily = by_key["saas"].sessions_per_day
            peaks.append(Peak("saas", midnight + 15 * HOUR, daily * 0.3, 6, Push("email")))
    viral = start + (days // 2) * DAY + rng.randrange(12, 17) * HOUR + rng.randrange(3600)
    peaks.append(
        Peak(
            "blog",
            viral,
            by_key["blog"].sessions_per_day * 2.5,
            5,
            Push("social", VIRAL_POST, AGGREGATORS),
        )
    )
    return peaks, _outages(rng, start, days)


def _outages(rng: random.Random, start: int, days: int) -> list[Outage]:
    """Most of an hour of a broken SaaS origin on one afternoon, a few minutes at the shop."""
    saas = start + rng.randrange(days) * DAY + rng.randrange(9, 19) * HOUR + rng.randrange(1800)
    shop = start + rng.randrange(days) * DAY + rng.randrange(24) * HOUR + rng.randrange(3000)
    return [
        Outage("saas", saas, saas + rng.randrange(30, 51) * 60),
        Outage("shop", shop, shop + rng.randrange(4, 9) * 60),
    ]
