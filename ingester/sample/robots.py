"""Crawlers, link previewers, scripts and headless browsers.

They come from their operators' real networks, fetch robots.txt and sitemaps, revisit stale
URLs (redirects and 404s), mostly skip page assets, and speak HTTP/1.1 more often than people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ingester.sample import agents
from ingester.sample.encoding import cf_encode
from ingester.sample.places import DATACENTERS
from ingester.sample.records import Conn, Recorder
from ingester.sample.referrers import Sources
from ingester.sample.rhythm import poisson
from ingester.sample.sites.model import Site
from ingester.sample.visitors import network_address


@dataclass(frozen=True)
class Robot:
    ua: str
    network: str  # key of places.DATACENTERS
    per_day: float  # visits per site and day at the model's own volume
    kind: str  # crawl, image, preview, fetch or render
    sites: tuple[str, ...] = ()  # only these sites (empty: all)
    http: str = "HTTP/1.1"
    ipv6: float = 0.0


ROBOTS = (
    Robot(agents.GOOGLEBOT_SMARTPHONE, "google", 110, "crawl", http="HTTP/2.0", ipv6=0.15),
    Robot(agents.GOOGLEBOT, "google", 40, "crawl", http="HTTP/2.0"),
    Robot(agents.GOOGLEBOT_IMAGE, "google", 15, "image"),
    Robot(agents.BINGBOT, "microsoft", 70, "crawl", http="HTTP/2.0"),
    Robot(agents.APPLEBOT, "apple", 15, "crawl"),
    Robot(agents.AHREFSBOT, "ovh", 45, "crawl"),
    Robot(agents.GPTBOT, "azure", 25, "crawl"),
    Robot(agents.YANDEXBOT, "yandex", 10, "crawl"),
    Robot(agents.FACEBOOK_PREVIEW, "meta", 10, "preview", ("shop", "blog")),
    Robot(agents.TWITTERBOT, "twitter", 6, "preview", ("blog", "saas")),
    Robot(agents.SLACKBOT, "aws-us-east", 5, "preview", ("blog", "saas")),
    Robot(agents.CURL, "digitalocean", 6, "fetch"),
    Robot(agents.PYTHON_REQUESTS, "aws-us-east", 10, "fetch"),
    Robot(agents.GO_HTTP, "gcp", 8, "fetch"),
    Robot(agents.GO_HTTP2, "aws-eu-west", 4, "fetch", http="HTTP/2.0"),
    Robot(agents.WGET, "hetzner", 5, "fetch"),
    Robot(agents.HEADLESS_CHROME, "gcp", 6, "render", http="HTTP/2.0"),
)


def robot_conn(
    rng: random.Random, network: str, ua: str, http: str = "HTTP/1.1", ipv6: float = 0.0
) -> Conn:
    edge = rng.choice(DATACENTERS[network].edges)
    tls, cipher = ("TLSv1.3", "TLS_AES_128_GCM_SHA256")
    if http == "HTTP/1.1" and rng.random() < 0.4:
        tls, cipher = ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")
    conn = Conn(
        network_address(rng, network, rng.random() < ipv6), cf_encode(ua), edge, http, tls, cipher
    )
    conn.reconnect(rng)
    return conn


class Robots:
    """Starts each hour's robot visits to one site."""

    def __init__(self, rec: Recorder, site: Site, sources: Sources) -> None:
        self.rec, self.site, self.sources = rec, site, sources
        self.robots = [r for r in ROBOTS if not r.sites or site.key in r.sites]
        self.stale = site.broken + tuple(p.res for p in site.pages if p.res.status != "200")

    def expected(self) -> float:
        """Visits per hour at the model's own volume (the unit `scale` multiplies)."""
        return sum(r.per_day for r in self.robots) / 24

    def hour(self, rng: random.Random, hour_start: int, scale: float) -> int:
        visits = 0
        for robot in self.robots:
            for _ in range(poisson(rng, robot.per_day / 24 * scale)):
                t = hour_start + rng.random() * 3600
                getattr(self, f"_{robot.kind}")(rng, robot, t)
                visits += 1
        return visits

    def _crawl(self, rng: random.Random, robot: Robot, t: float) -> None:
        conn = robot_conn(rng, robot.network, robot.ua, robot.http, robot.ipv6)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            r = rng.random()
            if r < 0.06:
                res = rng.choice(self.site.robots)
            elif r < 0.14:
                res = rng.choice(self.stale)  # URLs the index still remembers
            else:
                res = self.sources.popular(rng).res
            self.rec.serve(t, self.site, conn, res, conditional=rng.random() < 0.15)
            t += rng.uniform(1, 20)

    def _image(self, rng: random.Random, robot: Robot, t: float) -> None:
        page = self.sources.popular(rng)
        if page.images:
            conn = robot_conn(rng, robot.network, robot.ua)
            self.rec.serve(t, self.site, conn, rng.choice(page.images))

    def _preview(self, rng: random.Random, robot: Robot, t: float) -> None:
        """Someone shared a link: fetch the page, then its og:image."""
        conn = robot_conn(rng, robot.network, robot.ua, robot.http)
        page = self.sources.popular(rng)
        if self.rec.serve(t, self.site, conn, page.res) == "200" and page.images:
            self.rec.serve(t + rng.uniform(0.2, 2), self.site, conn, page.images[0])

    def _fetch(self, rng: random.Random, robot: Robot, t: float) -> None:
        conn = robot_conn(rng, robot.network, robot.ua, robot.http)
        home = self.site.pages[0]
        r = rng.random()
        if robot.ua == agents.WGET:
            media = [p.media for p in self.site.pages if p.media]
            self.rec.serve(t, self.site, conn, media[0] if media else home.res)
        elif r < 0.1:
            self.rec.serve(t, self.site, conn, home.res, method="HEAD")
        elif r < 0.2:
            self.rec.serve(t, self.site, conn, self.site.robots[0])
        else:
            page = home if r < 0.6 else self.sources.popular(rng)
            self.rec.serve(t, self.site, conn, page.res)

    def _render(self, rng: random.Random, robot: Robot, t: float) -> None:
        """A headless browser: the page and everything it loads, with a cold cache."""
        conn = robot_conn(rng, robot.network, robot.ua, robot.http)
        page = self.sources.popular(rng)
        if self.rec.serve(t, self.site, conn, page.res) != "200":
            return
        url = cf_encode(self.site.url(page.res.path))
        for res in (*self.site.layout, *self.site.fonts, *page.images):
            t += rng.uniform(0.01, 0.15)
            self.rec.serve(t, self.site, conn, res, referer=url)
