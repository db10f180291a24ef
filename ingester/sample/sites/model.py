"""What a sample website is made of: resources, pages, campaigns and its audience.

Every site is its own CloudFront distribution. A `Resource` is one URL with the answer the
origin gives for it; a `Page` is an HTML resource with what the browser loads along with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingester.sample.encoding import cf_encode


@dataclass(frozen=True, slots=True)
class Resource:
    path: str  # as the browser sends it (non-ASCII already %-encoded by the browser)
    ctype: str  # Content-Type as logged
    size: int  # bytes of the body on the wire
    hit: float  # share of requests the edge answers from its cache
    status: str = "200"  # fixed answers: 301/302 redirects, 404 missing
    location: str | None = None  # where a redirect points (a path of the same site)
    stem: str = ""  # cs-uri-stem and cs-uri-query as logged
    query: str = "-"

    def __post_init__(self) -> None:
        path, _, query = self.path.partition("?")
        object.__setattr__(self, "stem", cf_encode(path))
        object.__setattr__(self, "query", cf_encode(query))
        object.__setattr__(self, "ctype", cf_encode(self.ctype))  # "text/html;%20charset=utf-8"


@dataclass(frozen=True, slots=True)
class Page:
    res: Resource
    weight: float  # popularity: landings from search and in-site navigation
    images: tuple[Resource, ...] = ()
    follow: tuple[tuple[str, float], ...] = ()  # funnel steps: (next path, probability)
    action: Resource | None = None  # a POST the visitor makes before following the funnel
    media: Resource | None = None  # a video or PDF the browser fetches in ranges
    xhr: tuple[Resource, ...] = ()  # JSON the page script fetches
    queries: tuple[str, ...] = ()  # search pages: the query strings visitors send


@dataclass(frozen=True)
class Campaign:
    """A tracked link: where it lands and the parameters it carries."""

    kind: str  # the source it belongs to: email, paid, social or referral
    landing: str
    params: str  # utm_* as on the link, browser-encoded; `{week}` becomes e.g. 2025-w19
    weight: float
    click_id: str | None = None  # gclid, msclkid, fbclid, li_fat_id, mc_eid, _hsenc
    referers: tuple[str, ...] = ("",)  # what the click arrives with ("" = none)


@dataclass(frozen=True)
class Referral:
    referer: str
    weight: float
    landing: str | None = None  # None: a popular page
    params: str = ""  # e.g. utm_source=chatgpt.com, which AI assistants append


@dataclass(frozen=True)
class Site:
    key: str
    domain: str  # x-host-header
    distribution: str
    cf_host: str  # cs(Host)
    sessions_per_day: float
    hours: tuple[float, ...]  # relative traffic by local hour
    days: tuple[float, ...]  # relative traffic Monday..Sunday
    audience: dict[str, float]  # city key -> share of visitors
    devices: dict[str, float]
    sources: dict[str, float]  # direct, organic, social, email, paid, referral
    social: dict[str, float]  # network -> share of social visits
    pages: tuple[Page, ...]
    layout: tuple[Resource, ...]  # stylesheets and scripts every page loads
    fonts: tuple[Resource, ...]  # loaded by the first stylesheet
    icons: tuple[Resource, ...]  # favicon and friends, once per visit
    campaigns: tuple[Campaign, ...]
    referrals: tuple[Referral, ...]
    robots: tuple[Resource, ...]  # robots.txt, sitemap, feed: what crawlers fetch besides pages
    broken: tuple[Resource, ...]  # stale links that now answer 404
    continue_share: float  # chance of another page view after each one
    origin_latency: float  # median seconds the origin takes for a miss
    apple_icons: tuple[Resource, ...] = ()  # what iOS Safari asks for on top of the icons
    health: Resource | None = None  # path Route 53 checks
    proxied: float = 0.0  # share of desktop visitors behind a corporate web proxy
    http3: bool = True
    by_path: dict[str, Page] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_path.update({page.res.path: page for page in self.pages})

    def url(self, path: str, query: str = "") -> str:
        """The address as a browser sends it in Referer (same-origin: with the query)."""
        return f"https://{self.domain}{path}" + (f"?{query}" if query else "")


def asset(path: str, size: int, ctype: str, hit: float = 0.94) -> Resource:
    return Resource(path, ctype, size, hit)


def html(path: str, size: int, ctype: str, hit: float) -> Resource:
    return Resource(path, ctype, size, hit)


def missing(path: str, ctype: str = "text/html") -> Resource:
    """A path that does not exist: the origin's error page, 404."""
    return Resource(path, ctype, 1245, 0.0, status="404")


def redirect(path: str, location: str, status: str = "301") -> Resource:
    return Resource(path, "text/html", 162, 0.6, status=status, location=location)


IMAGE_TYPES = {"webp": "image/webp", "avif": "image/avif", "jpg": "image/jpeg",
               "png": "image/png", "svg": "image/svg+xml", "ico": "image/x-icon"}  # fmt: skip


def image(path: str, size: int) -> Resource:
    return asset(path, size, IMAGE_TYPES[path.rsplit(".", 1)[1]], hit=0.9)
