"""Clockwork traffic: health checks, uptime monitors and feed readers.

Route 53 checks a site's health path from several AWS regions, each checker on its own fixed
interval; UptimeRobot sends HEAD / every five minutes; Feedly polls the blog's feed. Their
volume does not follow the traffic model (a benchmark's `lines` does not scale them).
"""

from __future__ import annotations

import random

from ingester.sample import agents
from ingester.sample.encoding import HEX, token
from ingester.sample.records import Recorder
from ingester.sample.robots import robot_conn
from ingester.sample.sites.model import Resource, Site

ROUTE53_CHECKERS = ("aws-us-east", "aws-eu-west", "aws-ap-southeast", "aws-sa-east")
ROUTE53_INTERVAL = 720  # seconds between two checks of one checker: one check every 3 minutes
UPTIME_INTERVAL = 300
UPTIME_SITES = ("shop", "blog")
FEED_INTERVAL = 1800


def _ticks(hour_start: int, interval: int, phase: int) -> range:
    """The moments in this hour of a clock that ticks every `interval` s, offset by `phase`."""
    first = hour_start + (phase - hour_start) % interval
    return range(first, hour_start + 3600, interval)


class Monitors:
    """Starts each hour's scheduled checks of every site."""

    def __init__(self, rec: Recorder, sites: tuple[Site, ...], rng: random.Random) -> None:
        self.rec, self.sites = rec, sites
        # One health check per site: its id is in the user agent of every check.
        self.health_ids = {
            site.key: "-".join(token(rng, n, HEX) for n in (8, 4, 4, 4, 12)) for site in sites
        }
        self.phases = {site.key: rng.randrange(60) for site in sites}

    def hour(self, rng: random.Random, hour_start: int) -> None:
        for site in self.sites:
            phase = self.phases[site.key]
            if site.health:
                self._route53(rng, site, hour_start, phase)
            if site.key in UPTIME_SITES:
                self._uptime(rng, site, hour_start, phase)
            for feed in (res for res in site.robots if res.ctype == "application/rss+xml"):
                self._feed_reader(rng, site, feed, hour_start, phase * 7)

    def _uptime(self, rng: random.Random, site: Site, hour_start: int, phase: int) -> None:
        for t in _ticks(hour_start, UPTIME_INTERVAL, phase):
            conn = robot_conn(rng, "uptimerobot", agents.UPTIMEROBOT)
            self.rec.serve(t + rng.random(), site, conn, site.pages[0].res, method="HEAD")

    def _feed_reader(self, rng, site: Site, feed: Resource, hour_start: int, phase: int) -> None:
        """Feedly polls with If-Modified-Since; the feed has rarely changed."""
        for t in _ticks(hour_start, FEED_INTERVAL, phase):
            conn = robot_conn(rng, "aws-us-east", agents.FEEDLY)
            self.rec.serve(t + rng.random(), site, conn, feed, conditional=rng.random() < 0.85)

    def _route53(self, rng: random.Random, site: Site, hour_start: int, phase: int) -> None:
        ua = agents.ROUTE53.format(self.health_ids[site.key])
        for number, checker in enumerate(ROUTE53_CHECKERS):
            offset = phase + number * ROUTE53_INTERVAL // len(ROUTE53_CHECKERS)
            for t in _ticks(hour_start, ROUTE53_INTERVAL, offset):
                conn = robot_conn(rng, checker, ua)
                conn.tls, conn.cipher = "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"
                self.rec.serve(t + rng.random() * 0.5, site, conn, site.health)
