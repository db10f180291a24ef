"""Human visits: page after page with think times, each page followed by what it loads.

A page view is the HTML request, then (after the browser has parsed it) the stylesheets,
scripts and fonts unless they are still cached, the page's images with the page as referrer,
icons once per visit, script fetches, and sometimes a video or PDF read in byte ranges.
"""

from __future__ import annotations

import math
import random

from ingester.sample.encoding import cf_encode
from ingester.sample.records import Conn, Recorder
from ingester.sample.referrers import Landing, Sources
from ingester.sample.sites.model import Page, Resource, Site
from ingester.sample.visitors import Visitor

MAX_PAGES = 30
LONG_PAUSE = 0.08  # visits interrupted for more than 30 minutes (they count as two visits)
CACHE_DAYS = 7  # how long a browser keeps the hashed stylesheets and scripts
BROKEN_LANDING = 0.03  # links from other sites that point at pages which no longer exist
WATCH = 0.3  # visitors of a page with a video or PDF who open it
RELOAD = 0.6  # visitors who reload a page that failed with a 5xx


def think_time(rng: random.Random) -> float:
    """Seconds until the next page: median half a minute, a few minutes at most."""
    return min(600.0, max(3.0, rng.lognormvariate(math.log(30), 0.9)))


class Visit:
    """One visit of one visitor to one site."""

    def __init__(
        self,
        rec: Recorder,
        rng: random.Random,
        site: Site,
        sources: Sources,
        visitor: Visitor,
        start: float,
    ) -> None:
        self.rec, self.rng, self.site, self.sources = rec, rng, site, sources
        self.visitor, self.start = visitor, start
        self.seen_before = set(visitor.seen)
        self.conn: Conn = visitor.connect(rng, site)

    def run(self, landing: Landing) -> None:
        t, page, query, referer = self.start, landing.page, landing.query, landing.referer
        if landing.typed_http:
            self.rec.redirect_to_https(t, self.site, self.conn, page.res)
            t += 0.2
        elif landing.source in ("referral", "social") and self.rng.random() < BROKEN_LANDING:
            if not (moved_on := self._broken_link(t, referer)):
                return
            t, referer = moved_on
            page, query = self.site.pages[0], ""
        pause_at = self.rng.randrange(1, 6) if self.rng.random() < LONG_PAUSE else -1
        for number in range(MAX_PAGES):
            url = self.view(t, page, query, referer, first=number == 0)
            if url is None or self.rng.random() > self.site.continue_share:
                return
            t += think_time(self.rng)
            if number + 1 == pause_at:
                t += self.rng.uniform(31, 150) * 60
                self.conn = self.visitor.connect(self.rng, self.site)
            page, query, t = self._next(page, url, t)
            referer = url

    def _broken_link(self, t: float, referer: str) -> tuple[float, str] | None:
        """Land on a 404. Some visitors go on to the home page: when, and from where."""
        res = self.rng.choice(self.site.broken)
        self.rec.serve(t, self.site, self.conn, res, referer=cf_encode(referer))
        if self.rng.random() < 0.6:
            return None
        return t + self.rng.uniform(4, 20), self.site.url(res.path)

    def view(self, t: float, page: Page, query: str, referer: str, first: bool) -> str | None:
        """Request a page and what it loads; its URL, or None when the visitor is gone."""
        res, logged_ref, logged_query = page.res, cf_encode(referer), cf_encode(query)
        revisit = res.path in self.seen_before and self.rng.random() < 0.5
        t, status = self._get(t, res, logged_ref, logged_query, revisit)
        if status in ("301", "302") and res.location:
            if res.location.startswith("http"):
                return None  # off to another host (the app's login)
            page = self.site.by_path[res.location]
            t, status = self._get(
                t + 0.05 + self.rng.random() * 0.1, page.res, logged_ref, logged_query
            )
        if status not in ("200", "304", "404"):
            return None  # an error page or a closed connection: nothing more loads
        url = self.site.url(page.res.path, query)
        self._remember(page.res.path)
        self._assets(t, page, cf_encode(url), first)
        return url

    def _get(self, t, res, referer, query, conditional=False) -> tuple[float, str]:
        """Request an HTML page; on a server error, people reload a time or two."""
        serve = self.rec.serve
        status = serve(
            t, self.site, self.conn, res, referer=referer, query=query, conditional=conditional
        )
        for _ in range(2):
            if status[0] != "5" or self.rng.random() >= RELOAD:
                break
            t += self.rng.uniform(2, 10)
            status = serve(t, self.site, self.conn, res, referer=referer, query=query)
        return t, status

    def _remember(self, path: str) -> None:
        seen = self.visitor.seen
        if path not in seen:
            seen.append(path)
            del seen[:-20]

    def _assets(self, t: float, page: Page, url: str, first: bool) -> None:
        rng, site, serve = self.rng, self.site, self.rec.serve
        t += 0.05 + rng.random() * 0.3  # the browser parses the HTML first
        cold = self.visitor.cached_until <= t
        if cold:
            for res in site.layout:
                t += rng.random() * 0.05
                serve(t, site, self.conn, res, referer=url)
            stylesheet = cf_encode(site.url(site.layout[0].path))
            for res in site.fonts:  # fonts are requested by the stylesheet
                serve(t + rng.random() * 0.2, site, self.conn, res, referer=stylesheet)
            self.visitor.cached_until = t + CACHE_DAYS * 86400
        revalidate = page.res.path in self.seen_before
        for res in page.images:
            serve(t + rng.random() * 0.8, site, self.conn, res, referer=url, conditional=revalidate)
        if first and cold:
            self._icons(t + 0.5, url)
        for res in page.xhr:
            serve(t + 0.3 + rng.random(), site, self.conn, res, referer=url)
        if page.media and rng.random() < WATCH:
            self._ranges(t + rng.uniform(2, 40), page.media, url)

    def _icons(self, t: float, url: str) -> None:
        icons = self.site.icons
        if self.visitor.browser.family == "Safari" and self.visitor.browser.device != "desktop":
            icons += self.site.apple_icons
        for res in icons:
            self.rec.serve(t, self.site, self.conn, res, referer=url)

    def _ranges(self, t: float, media: Resource, url: str) -> None:
        """A video or PDF viewer fetches the first part, then whatever the viewer seeks to."""
        size, chunk = media.size, self.rng.choice((262_144, 1_048_576, 2_097_152))
        start = 0
        for _ in range(self.rng.randint(1, 4)):
            end = min(size, start + chunk) - 1
            self.rec.serve(t, self.site, self.conn, media, referer=url, span=(start, end))
            t += self.rng.uniform(1, 30)
            start = self.rng.randrange(max(1, size - chunk)) if self.rng.random() < 0.4 else end + 1
            if start >= size:
                return

    def _next(self, page: Page, url: str, t: float) -> tuple[Page, str, float]:
        """Follow the funnel (posting its action first) or click to another page."""
        for path, chance in page.follow:
            if self.rng.random() < chance:
                if page.action:
                    action_at = t - self.rng.uniform(1, 3)
                    self.rec.serve(
                        action_at,
                        self.site,
                        self.conn,
                        page.action,
                        referer=cf_encode(url),
                        method="POST",
                    )
                return self.site.by_path[path], "", t
        if page.action and not page.follow and self.rng.random() < 0.3:
            self.rec.serve(
                t - 2, self.site, self.conn, page.action, referer=cf_encode(url), method="POST"
            )
        target = self.sources.popular(self.rng)
        if target is page:
            target = self.sources.popular(self.rng)
        query = self.rng.choice(target.queries) if target.queries else ""
        return target, query, t
