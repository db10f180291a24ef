"""The period, hour by hour: who arrives at each site, and when an hour is ready to write.

Every hour starts its human visits (by each site's rhythm, plus newsletter and viral peaks),
robot visits, scanner probes and monitor checks. Visits may run into later hours, but never
into earlier ones, so once an hour has been simulated its records are complete.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from ingester.sample import events
from ingester.sample.monitors import Monitors
from ingester.sample.records import Recorder
from ingester.sample.referrers import Push, Sources
from ingester.sample.rhythm import DAY, HOUR, Rhythm, poisson
from ingester.sample.robots import Robots
from ingester.sample.scanners import Scanners
from ingester.sample.sessions import Visit
from ingester.sample.sites.model import Site
from ingester.sample.visitors import Visitors
from ingester.sample.volume import Volume


class SiteTraffic:
    """Everything that visits one site."""

    def __init__(self, site: Site, rec: Recorder, peaks: list[events.Peak]) -> None:
        self.site, self.rec = site, rec
        self.rhythm, self.visitors, self.sources = Rhythm(site), Visitors(site), Sources(site)
        self.robots, self.scanners = Robots(rec, site, self.sources), Scanners(rec, site)
        self.peaks = [peak for peak in peaks if peak.site == site.key]

    def expected_humans(self, hour_start: int) -> float:
        return self.rhythm.visits(hour_start) + sum(p.expected(hour_start) for p in self.peaks)

    def humans(self, rng: random.Random, hour_start: int, scale: float) -> int:
        """Start this hour's human visits; how many there were."""
        visits = poisson(rng, self.rhythm.visits(hour_start) * scale)
        for _ in range(visits):
            self._visit(rng, hour_start, None)
        for peak in self.peaks:
            extra = poisson(rng, peak.expected(hour_start) * scale)
            for _ in range(extra):
                self._visit(rng, hour_start, peak.push)
            visits += extra
        return visits

    def _visit(self, rng: random.Random, hour_start: int, push: Push | None) -> None:
        start = hour_start + rng.random() * HOUR
        visitor = self.visitors.arrive(rng, self.rhythm.city(rng, hour_start))
        landing = self.sources.landing(rng, visitor, start, push)
        Visit(self.rec, rng, self.site, self.sources, visitor, start).run(landing)


class Simulation:
    def __init__(
        self, rng: random.Random, sites: tuple[Site, ...], start: int, days: int, lines: int | None
    ) -> None:
        self.rng, self.start, self.days = rng, start, days
        peaks, outages = events.plan(rng, sites, start, days)
        self.rec = Recorder(rng, start, start + days * DAY, outages)
        self.traffic = [SiteTraffic(site, self.rec, peaks) for site in sites]
        self.monitors = Monitors(self.rec, sites, rng)
        hours = [start + hour * HOUR for hour in range(days * 24)]
        humans = [sum(t.expected_humans(h) for t in self.traffic) for h in hours]
        robots = [sum(t.robots.expected() for t in self.traffic) for _ in hours]
        self.volume = Volume(lines, humans, robots)

    def hours(self) -> Iterator[tuple[int, dict[str, list[tuple[float, str]]]]]:
        """Each hour's start and its records by distribution, in order."""
        for hour in range(self.days * 24):
            hour_start = self.start + hour * HOUR
            self._simulate(hour_start, self.volume.scale(hour, self.rec.count))
            yield hour_start, self.rec.take(hour)

    def _simulate(self, hour_start: int, scale: float) -> None:
        rng, rec = self.rng, self.rec
        before = rec.count
        humans = sum(site.humans(rng, hour_start, scale) for site in self.traffic)
        human_lines, before = rec.count - before, rec.count
        robots = sum(site.robots.hour(rng, hour_start, scale) for site in self.traffic)
        robot_lines, before = rec.count - before, rec.count
        for site in self.traffic:
            site.scanners.hour(rng, hour_start, scale)
        self.monitors.hour(rng, hour_start)
        self.volume.record((humans, human_lines), (robots, robot_lines), rec.count - before)
