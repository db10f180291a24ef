"""A developer blog with a worldwide audience, served from S3: mostly one-page visits.

Static HTML is cached well, a PDF cheat sheet is read in byte ranges, and iOS asks for
touch icons the site never had (steady human 404s).
"""

from __future__ import annotations

from ingester.sample.rhythm import OFFICE_DAYS, OFFICE_HOURS
from ingester.sample.sites.model import (
    Campaign,
    Page,
    Referral,
    Site,
    asset,
    html,
    image,
    missing,
    redirect,
)

HTML = "text/html"
POSTS = (
    "why-we-moved-off-kubernetes", "postgres-partitioning-in-practice", "a-tiny-http-cache",
    "debugging-dns-at-3am", "rust-for-python-developers", "terraform-state-surgery",
    "the-cost-of-a-log-line", "cloudfront-functions-vs-lambda-edge", "sqlite-is-enough",
    "profiling-python-with-py-spy", "zero-downtime-migrations", "grafana-dashboards-as-code",
    "understanding-tcp-retransmits", "writing-a-parser-by-hand", "git-bisect-saved-my-week",
    "s3-lifecycle-rules", "timezones-are-hard", "caching-headers-explained",
    "on-call-without-burnout", "a-year-of-nix", "fast-csv-in-go", "systemd-timers-over-cron",
    "ipv6-at-home", "what-i-learned-from-100-postmortems",
)  # fmt: skip
TAGS = ("aws", "postgres", "python", "rust", "devops", "networking", "databases", "career")
PDF = asset("/files/linux-networking-cheatsheet.pdf", 2_450_000, "application/pdf", hit=0.85)


def _post(rank: int, slug: str) -> Page:
    cover = image(f"/images/posts/{slug}/cover.png", 84_000 + 3_000 * (rank % 7))
    figures = tuple(
        image(f"/images/posts/{slug}/fig{i}.svg", 9_000) for i in range(1, rank % 3 + 1)
    )
    weight = 40 / (rank + 1) ** 0.9  # a few posts carry most of the search traffic
    media = PDF if slug == "understanding-tcp-retransmits" else None
    return Page(
        html(f"/posts/{slug}/", 19_000 + 900 * (rank % 9), HTML, hit=0.88),
        weight,
        images=(cover, *figures),
        media=media,
    )


def _pages() -> tuple[Page, ...]:
    avatar = (image("/images/avatar.jpg", 18_000),)
    index = (asset("/index.json", 310_000, "application/json", hit=0.9),)
    searches = ("q=postgres", "q=cloudfront+logs", "q=dns")
    pages = [
        Page(html("/", 14_500, HTML, hit=0.8), 14, images=avatar),
        Page(html("/archive/", 22_000, HTML, hit=0.85), 2),
        Page(html("/about/", 9_500, HTML, hit=0.9), 2, images=avatar),
        Page(html("/search/", 8_000, HTML, hit=0.9), 1, xhr=index, queries=searches),
        Page(html("/talks/", 11_000, HTML, hit=0.9), 0.6, media=PDF),
    ]
    pages += [Page(html(f"/tags/{tag}/", 12_000, HTML, hit=0.85), 0.8) for tag in TAGS]
    pages += [_post(rank, slug) for rank, slug in enumerate(POSTS)]
    # The blog moved from /blog/<year>/<slug>.html; old links still arrive.
    pages.append(Page(redirect("/blog/2021/sqlite-is-enough.html", "/posts/sqlite-is-enough/"), 0))
    return tuple(pages)


SITE = Site(
    key="blog",
    domain="blog.example-devnotes.io",
    distribution="E1MZ7XQ4TNBV8C",
    cf_host="d2k4r8vq1xw7zn.cloudfront.net",
    sessions_per_day=460,
    hours=OFFICE_HOURS,
    days=OFFICE_DAYS,
    audience={
        "san-francisco": 8,
        "new-york": 7,
        "seattle": 5,
        "chicago": 3,
        "washington": 3,
        "atlanta": 2,
        "denver": 2,
        "los-angeles": 3,
        "dallas": 2,
        "toronto": 3,
        "vancouver": 2,
        "london": 6,
        "manchester": 2,
        "dublin": 2,
        "berlin": 5,
        "munich": 2,
        "amsterdam": 3,
        "paris": 2,
        "stockholm": 2,
        "warsaw": 2,
        "madrid": 1,
        "bengaluru": 6,
        "mumbai": 3,
        "delhi": 2,
        "singapore": 2,
        "tokyo": 2,
        "seoul": 1,
        "sydney": 2,
        "melbourne": 1,
        "auckland": 0.5,
        "sao-paulo": 3,
        "buenos-aires": 1,
        "bogota": 1,
        "mexico-city": 1,
        "johannesburg": 1,
        "lagos": 1,
        "tel-aviv": 1,
        "jakarta": 1,
    },
    devices={"desktop": 0.72, "mobile": 0.25, "tablet": 0.03},
    sources={
        "direct": 0.18,
        "organic": 0.50,
        "social": 0.14,
        "email": 0.02,
        "paid": 0.0,
        "referral": 0.16,
    },
    social={
        "twitter": 3,
        "linkedin": 3,
        "reddit": 3,
        "hackernews": 3,
        "mastodon": 1,
        "bluesky": 1,
        "facebook": 0.5,
    },
    pages=_pages(),
    layout=(
        asset("/css/main.min.3a7f02d1.css", 9_800, "text/css"),
        asset("/js/theme-toggle.min.js", 1_100, "application/javascript"),
    ),
    fonts=(
        asset("/fonts/source-sans-3.woff2", 41_000, "font/woff2"),
        asset("/fonts/jetbrains-mono.woff2", 52_000, "font/woff2"),
    ),
    icons=(image("/favicon.ico", 4_286),),
    apple_icons=(missing("/apple-touch-icon.png"), missing("/apple-touch-icon-precomposed.png")),
    campaigns=(
        Campaign(
            "email",
            "/posts/what-i-learned-from-100-postmortems/",
            "utm_source=buttondown&utm_medium=email&utm_campaign=monthly-digest",
            1,
        ),
    ),
    referrals=(
        Referral("https://github.com/", 5),
        Referral("https://stackoverflow.com/", 4, "/posts/postgres-partitioning-in-practice/"),
        Referral("https://dev.to/", 2),
        Referral("https://lobste.rs/", 1, "/posts/a-tiny-http-cache/"),
        Referral("https://chatgpt.com/", 2, None, "utm_source=chatgpt.com"),
        Referral("https://www.perplexity.ai/", 1),
        Referral(
            "https://old-devnotes.example.org/links.html", 1, "/blog/2021/sqlite-is-enough.html"
        ),
    ),
    robots=(
        asset("/robots.txt", 120, "text/plain"),
        asset("/sitemap.xml", 6_400, "application/xml", hit=0.8),
        asset("/index.xml", 48_000, "application/rss+xml", hit=0.8),
    ),
    broken=(
        missing("/posts/kubernetes-the-hard-way-notes/"),
        missing("/wp-content/uploads/cv.pdf"),
    ),
    continue_share=0.28,
    origin_latency=0.08,
)
