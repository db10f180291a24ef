"""How a visit begins: the source, the landing page, its referrer and tracking parameters.

Cross-site referrers carry only the origin (browsers' default `strict-origin-when-cross-origin`),
search engines are the visitor's national Google most of the time, and ad platforms, Facebook
and e-mail tools append their click ids to the landing URL.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate

from ingester.sample.encoding import ALNUM, HEX, URLSAFE, token
from ingester.sample.sites.model import Campaign, Page, Site
from ingester.sample.visitors import Visitor

# fmt: off
GOOGLE = {
    "DE": "de", "AT": "at", "CH": "ch", "GB": "co.uk", "IE": "ie", "FR": "fr", "NL": "nl",
    "ES": "es", "IT": "it", "SE": "se", "PL": "pl", "CZ": "cz", "TR": "com.tr", "CA": "ca",
    "MX": "com.mx", "BR": "com.br", "AR": "com.ar", "CO": "com.co", "JP": "co.jp", "KR": "co.kr",
    "SG": "com.sg", "ID": "co.id", "IN": "co.in", "AU": "com.au", "NZ": "co.nz", "ZA": "co.za",
    "NG": "com.ng", "AE": "ae", "IL": "co.il",
}
ENGINES = (
    ("google", 82), ("https://www.bing.com/", 7), ("https://duckduckgo.com/", 4),
    ("https://www.ecosia.org/", 2), ("https://search.yahoo.com/", 1.5),
    ("https://search.brave.com/", 1.5), ("https://yandex.com/", 1),
    ("android-app://com.google.android.googlequicksearchbox/https/www.google.com", 1),
)
SOCIAL = {
    "facebook": ("https://l.facebook.com/", "https://m.facebook.com/", "https://lm.facebook.com/"),
    "instagram": ("https://l.instagram.com/", "https://www.instagram.com/"),
    "twitter": ("https://t.co/{}", "https://x.com/"),
    "linkedin": ("https://www.linkedin.com/", "https://lnkd.in/{}",
                 "android-app://com.linkedin.android/"),
    "reddit": ("https://www.reddit.com/", "https://out.reddit.com/",
               "android-app://com.reddit.frontpage/"),
    "hackernews": ("https://news.ycombinator.com/",),
    "mastodon": ("https://mastodon.social/", "https://hachyderm.io/", "https://fosstodon.org/"),
    "bluesky": ("https://bsky.app/",),
    "pinterest": ("https://www.pinterest.com/", "https://www.pinterest.de/"),
    "youtube": ("https://www.youtube.com/", "https://m.youtube.com/"),
}
# fmt: on
TYPED_HTTP = 0.04  # direct visitors who type the bare domain and get redirected to https


@dataclass(frozen=True, slots=True)
class Landing:
    page: Page
    query: str  # as the browser sends it; "" for none
    referer: str  # "" for none
    source: str  # direct, organic, social, email, paid or referral
    typed_http: bool = False


@dataclass(frozen=True)
class Push:
    """A source that takes over for a while (a newsletter, a post on a link aggregator)."""

    source: str
    landing: str | None = None
    referers: tuple[str, ...] = ()


def click_id(rng: random.Random, name: str) -> str:
    """`name=value` the way each platform shapes its click ids."""
    value = {
        "gclid": lambda: "Cj0KCQjw" + token(rng, 78, URLSAFE) + "_BwE",
        "msclkid": lambda: token(rng, 32, HEX),
        "fbclid": lambda: (
            "IwZXh0bgNhZW0CMTEAAR" + token(rng, 42, URLSAFE) + "_aem_" + token(rng, 22, URLSAFE)
        ),
        "li_fat_id": lambda: "-".join(token(rng, n, HEX) for n in (8, 4, 4, 4, 12)),
        "mc_eid": lambda: token(rng, 10, HEX),
        "_hsenc": lambda: (
            "p2ANqtz-" + token(rng, 70, URLSAFE) + "&_hsmi=" + token(rng, 9, HEX[:10])
        ),
        "srsltid": lambda: "AfmBOo" + token(rng, 66, URLSAFE),
    }[name]()
    return f"{name}={value}"


def _pick(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


class Sources:
    """Draws the landing of each visit to one site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.kinds = [k for k, w in site.sources.items() if w > 0]
        self._kinds = list(accumulate(site.sources[k] for k in self.kinds))
        self.pages = [p for p in site.pages if p.weight > 0 and p.res.status == "200"]
        self._pages = list(accumulate(p.weight for p in self.pages))
        self.networks = list(site.social)
        self._networks = list(accumulate(site.social.values()))
        self._referrals = list(accumulate(r.weight for r in site.referrals))

    def landing(
        self, rng: random.Random, visitor: Visitor, now: float, push: Push | None = None
    ) -> Landing:
        """How a visit at `now` begins; `push` imposes the source (and maybe page, referrer)."""
        kind = push.source if push else _pick(rng, self.kinds, self._kinds)
        if kind in ("email", "paid") and not any(c.kind == kind for c in self.site.campaigns):
            kind = "direct"
        landing = getattr(self, f"_{kind}")(rng, visitor, now)
        if push and (push.landing or push.referers):
            page = self.site.by_path[push.landing] if push.landing else landing.page
            referer = rng.choice(push.referers) if push.referers else landing.referer
            landing = Landing(page, landing.query, referer, kind)
        return landing

    def popular(self, rng: random.Random) -> Page:
        return _pick(rng, self.pages, self._pages)

    def _direct(self, rng, visitor, now) -> Landing:
        page = self.site.pages[0] if rng.random() < 0.6 else self.popular(rng)
        typed = page is self.site.pages[0] and rng.random() < TYPED_HTTP
        return Landing(page, "", "", "direct", typed)

    def _organic(self, rng, visitor, now) -> Landing:
        engine = self._engine(rng, visitor)
        page = self.popular(rng)
        query = ""
        if "google" in engine and page.res.path.startswith("/products/") and rng.random() < 0.3:
            query = click_id(rng, "srsltid")  # Google merchant listings tag organic clicks
        return Landing(page, query, engine, "organic")

    def _engine(self, rng, visitor) -> str:
        names, weights = zip(*ENGINES, strict=True)
        engine = rng.choices(names, weights)[0]
        if engine != "google":
            return engine
        tld = GOOGLE.get(visitor.city.place.country_code)
        return f"https://www.google.{tld if tld and rng.random() < 0.7 else 'com'}/"

    def _social(self, rng, visitor, now) -> Landing:
        network = _pick(rng, self.networks, self._networks)
        referer = rng.choice(SOCIAL[network]).format(token(rng, 10, ALNUM))
        query = ""
        if network in ("facebook", "instagram") and rng.random() < 0.85:
            query = click_id(rng, "fbclid")
        return Landing(self.popular(rng), query, referer, "social")

    def _campaign(self, rng, now, kind: str) -> Landing:
        campaigns = [c for c in self.site.campaigns if c.kind == kind]
        campaign: Campaign = rng.choices(campaigns, [c.weight for c in campaigns])[0]
        query = campaign.params.replace("{week}", _week(now))
        if campaign.click_id:
            query += "&" + click_id(rng, campaign.click_id)
        page = self.site.by_path[campaign.landing]
        return Landing(page, query, rng.choice(campaign.referers), kind)

    def _email(self, rng, visitor, now) -> Landing:
        return self._campaign(rng, now, "email")

    def _paid(self, rng, visitor, now) -> Landing:
        return self._campaign(rng, now, "paid")

    def _referral(self, rng, visitor, now) -> Landing:
        referral = _pick(rng, list(self.site.referrals), self._referrals)
        page = self.site.by_path[referral.landing] if referral.landing else self.popular(rng)
        return Landing(page, referral.params, referral.referer, "referral")


def _week(now: float) -> str:
    year, week, _ = datetime.fromtimestamp(now, UTC).isocalendar()
    return f"{year}-w{week:02d}"
