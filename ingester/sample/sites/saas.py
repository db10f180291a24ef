"""A B2B software product's marketing site and docs (Next.js), watched by Route 53.

Office-hours traffic, paid search and LinkedIn campaigns landing on pricing and signup, HubSpot
e-mails, and an image optimiser whose query strings carry already-encoded paths. Pages are
rendered per request and cached only briefly, so an origin outage shows.
"""

from __future__ import annotations

from ingester.sample.rhythm import OFFICE_DAYS, OFFICE_HOURS
from ingester.sample.sites.model import (
    Campaign,
    Page,
    Referral,
    Resource,
    Site,
    asset,
    html,
    image,
    missing,
    redirect,
)

HTML = "text/html; charset=utf-8"
JS = "application/javascript"
DOCS = (
    ("getting-started", "introduction"), ("getting-started", "installation"),
    ("getting-started", "first-project"), ("guides", "automations"), ("guides", "integrations"),
    ("guides", "permissions"), ("guides", "import-from-csv"), ("api", "authentication"),
    ("api", "webhooks"), ("api", "rate-limits"), ("api", "errors"), ("admin", "sso"),
    ("admin", "audit-log"), ("admin", "billing"),
)  # fmt: skip


def _optimised(path: str, width: int, size: int) -> Resource:
    """Next.js image optimiser: the original path travels %-encoded in the query string."""
    encoded = path.replace("/", "%2F")
    return asset(f"/_next/image?url={encoded}&w={width}&q=75", size, "image/webp", hit=0.93)


def _pages() -> tuple[Page, ...]:
    hero = _optimised("/images/hero-dashboard.png", 1920, 164_000)
    logos = tuple(image(f"/images/customers/logo-{i}.svg", 3_100) for i in range(1, 7))
    pages = [
        Page(html("/", 58_000, HTML, hit=0.4), 25, images=(hero, *logos)),
        Page(html("/pricing", 41_000, HTML, hit=0.4), 10, follow=(("/signup", 0.18),)),
        Page(html("/features", 47_000, HTML, hit=0.4), 6,
             images=(_optimised("/images/feature-automations.png", 1200, 71_000),)),
        Page(html("/customers", 39_000, HTML, hit=0.4), 2, images=logos),
        Page(html("/signup", 21_000, HTML, hit=0.0), 3,
             action=Resource("/api/signup", "application/json", 184, 0.0)),
        Page(html("/contact-sales", 19_000, HTML, hit=0.4), 1.5),
        Page(html("/changelog", 33_000, HTML, hit=0.6), 1.5),
        Page(html("/careers", 17_000, HTML, hit=0.8), 1),
        Page(html("/legal/privacy", 28_000, HTML, hit=0.9), 0.5),
        Page(html("/docs", 23_000, HTML, hit=0.5), 5),
        Page(redirect("/login", "https://app.example-saas.com/login", "302"), 2),
    ]  # fmt: skip
    for section, name in DOCS:
        pages.append(
            Page(
                html(f"/docs/{section}/{name}", 26_000, HTML, hit=0.5),
                2.5,
                xhr=(asset("/docs/search-index.json", 120_000, "application/json"),),
            )
        )
    pages.append(Page(redirect("/documentation", "/docs"), 0))
    return tuple(pages)


def _campaigns() -> tuple[Campaign, ...]:
    return (
        Campaign("paid", "/pricing", "utm_source=google&utm_medium=cpc&utm_campaign=brand_us&"
                 "utm_term=example+saas+pricing", 4, "gclid", ("https://www.google.com/",)),
        Campaign("paid", "/signup", "utm_source=google&utm_medium=cpc&utm_campaign=competitor_"
                 "alternatives&utm_term=project+automation+tool", 3, "gclid",
                 ("https://www.google.com/", "https://www.google.co.uk/")),
        Campaign("paid", "/features", "utm_source=bing&utm_medium=cpc&utm_campaign=generic_us",
                 1, "msclkid", ("https://www.bing.com/",)),
        Campaign("paid", "/customers", "utm_source=linkedin&utm_medium=paid_social&"
                 "utm_campaign=q2_enterprise&utm_content=case_study_video", 3, "li_fat_id",
                 ("https://www.linkedin.com/", "")),
        Campaign("paid", "/pricing", "utm_source=capterra&utm_medium=cpc&utm_campaign="
                 "category_listing", 1, None, ("https://www.capterra.com/",)),
        Campaign("email", "/changelog", "utm_source=hs_email&utm_medium=email&utm_campaign="
                 "product-update-{week}&utm_content=read_more", 3, "_hsenc", ("",)),
        Campaign("email", "/docs/guides/automations", "utm_source=hs_automation&utm_medium="
                 "email&utm_campaign=onboarding_day_3", 2, "_hsenc", ("",)),
    )  # fmt: skip


SITE = Site(
    key="saas",
    domain="www.example-saas.com",
    distribution="E3HX9PLKDW2R5F",
    cf_host="d3p9zq2m5nt0ke.cloudfront.net",
    sessions_per_day=300,
    hours=OFFICE_HOURS,
    days=OFFICE_DAYS,
    audience={
        "new-york": 10,
        "san-francisco": 9,
        "washington": 4,
        "chicago": 5,
        "dallas": 4,
        "atlanta": 3,
        "seattle": 4,
        "los-angeles": 4,
        "denver": 2,
        "toronto": 4,
        "vancouver": 1,
        "london": 8,
        "manchester": 2,
        "dublin": 2,
        "amsterdam": 3,
        "berlin": 3,
        "paris": 3,
        "sydney": 2,
        "singapore": 2,
        "tokyo": 1,
        "bengaluru": 2,
        "sao-paulo": 1,
        "tel-aviv": 1,
    },
    devices={"desktop": 0.78, "mobile": 0.19, "tablet": 0.03},
    sources={
        "direct": 0.30,
        "organic": 0.28,
        "social": 0.06,
        "email": 0.08,
        "paid": 0.20,
        "referral": 0.08,
    },
    social={"linkedin": 5, "twitter": 2, "youtube": 1, "reddit": 1},
    pages=_pages(),
    layout=(
        asset("/_next/static/css/7c1f5e0a9b3d2c41.css", 31_000, "text/css"),
        asset("/_next/static/chunks/framework-5f4a2b8c1d9e3f70.js", 45_000, JS),
        asset("/_next/static/chunks/main-a1b2c3d4e5f60718.js", 38_000, JS),
        asset("/_next/static/chunks/pages/_app-0f9e8d7c6b5a4321.js", 72_000, JS),
    ),
    fonts=(asset("/_next/static/media/a34f9d1faa5f3315-s.p.woff2", 48_000, "font/woff2"),),
    icons=(image("/favicon.ico", 15_406), image("/icon.svg", 1_200)),
    campaigns=_campaigns(),
    referrals=(
        Referral("https://www.g2.com/", 3, "/customers"),
        Referral("https://www.producthunt.com/", 2, "/"),
        Referral("https://github.com/", 2, "/docs/api/webhooks"),
        Referral("https://zapier.com/", 1, "/docs/guides/integrations"),
        Referral("https://chatgpt.com/", 2, None, "utm_source=chatgpt.com"),
    ),
    robots=(
        asset("/robots.txt", 180, "text/plain"),
        asset("/sitemap.xml", 4_900, "application/xml", hit=0.8),
    ),
    broken=(missing("/docs/api/v1-deprecated"), missing("/blog/announcing-v2")),
    continue_share=0.52,
    origin_latency=0.32,
    health=Resource("/api/health", "application/json", 27, 0.0),
    proxied=0.06,
)
