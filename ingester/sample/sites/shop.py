"""An outdoor-gear shop for German-speaking Europe: product pages, a checkout funnel, newsletters.

Its HTML comes from an application server (`text/html; charset=utf-8`, shortly cached), and a
few product pages carry a video that browsers fetch in byte ranges.
"""

from __future__ import annotations

from ingester.sample.rhythm import LEISURE_DAYS, LEISURE_HOURS
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
JSON = "application/json"

# Slug, popularity, has a product video. The umlaut slug reaches the log as %25C3%25BC.
PRODUCTS = (
    ("alpine-shell-jacket", 9, True), ("trail-runner-gtx", 8, True), ("down-parka-w", 6, False),
    ("hiking-boot-low", 7, False), ("daypack-25l", 6, False), ("trekking-pole-set", 3, False),
    ("merino-base-layer", 5, False), ("softshell-pants", 4, False), ("rain-poncho", 2, False),
    ("gr%C3%BCne-wanderjacke", 3, False), ("headlamp-400", 3, False), ("sleeping-bag-5c", 4, True),
    ("tent-2p-ultralight", 5, False), ("wool-beanie", 2, False), ("gaiters", 1, False),
    ("water-filter", 2, False), ("camp-stove", 2, False), ("fleece-hoodie", 4, False),
)  # fmt: skip
COLLECTIONS = (("jackets", 6), ("shoes", 5), ("backpacks", 3), ("camping", 3), ("sale", 7))
SEARCHES = (
    "q=regenjacke", "q=wanderschuhe+damen", "q=rucksack", "q=merino", "q=gr%C3%B6%C3%9Fe+44",
    "q=zelt+2+personen", "q=daunenjacke&sort=price-asc", "q=stirnlampe", "q=winter+boots",
)  # fmt: skip


def _product(slug: str, weight: float, video: bool) -> Page:
    images = tuple(
        image(f"/images/products/{slug}-{i}.webp", 38_000 + 9_000 * i) for i in (1, 2, 3)
    )
    media = asset(f"/media/{slug}.mp4", 14_800_000, "video/mp4", hit=0.8) if video else None
    return Page(
        html(f"/products/{slug}", 31_000, HTML, hit=0.45),
        weight * 2.0,
        images=images,
        follow=(("/cart", 0.14),),
        action=Resource("/api/cart", JSON, 412, 0.0),
        media=media,
        xhr=(Resource(f"/api/stock?sku={slug[:12].upper()}", JSON, 96, 0.2),),
    )


def _pages() -> tuple[Page, ...]:
    hero = image("/images/hero/spring-2025.avif", 148_000)
    pages = [
        Page(html("/", 42_000, HTML, hit=0.6), 30, images=(hero, image("/images/logo.svg", 4_200))),
        Page(html("/search", 24_000, HTML, hit=0.0), 6, queries=SEARCHES),
        Page(html("/cart", 18_000, HTML, hit=0.0), 0.5, follow=(("/checkout", 0.45),)),
        Page(html("/checkout", 21_000, HTML, hit=0.0), 0.2, follow=(("/checkout/thank-you", 0.55),),
             action=Resource("/api/checkout", JSON, 233, 0.0)),
        Page(html("/checkout/thank-you", 12_000, HTML, hit=0.0), 0.01),
        Page(html("/about", 14_000, HTML, hit=0.8), 1),
        Page(html("/shipping", 11_000, HTML, hit=0.8), 2),
        Page(html("/returns", 10_500, HTML, hit=0.8), 1.5),
        Page(html("/contact", 9_800, HTML, hit=0.8), 1),
        Page(html("/blog/layering-guide", 26_000, HTML, hit=0.7), 2,
             images=(image("/images/blog/layering.jpg", 121_000),)),
    ]  # fmt: skip
    for name, weight in COLLECTIONS:
        thumbs = tuple(image(f"/images/collections/{name}-{i}.webp", 22_000) for i in range(1, 5))
        pages.append(Page(html(f"/collections/{name}", 36_000, HTML, hit=0.55), weight * 2, thumbs))
    pages += [_product(*product) for product in PRODUCTS]
    # Old addresses still linked from newsletters and other sites.
    pages.append(Page(redirect("/sale", "/collections/sale"), 0.0))
    pages.append(Page(redirect("/index.html", "/"), 0.0))
    return tuple(pages)


def _campaigns() -> tuple[Campaign, ...]:
    mail = ("", "", "", "https://mail.google.com/", "android-app://com.google.android.gm/")
    return (
        Campaign("email", "/sale", "utm_source=newsletter&utm_medium=email&utm_campaign="
                 "newsletter-{week}&utm_content=hero_button", 5, "mc_eid", mail),
        Campaign("email", "/products/alpine-shell-jacket", "utm_source=newsletter&utm_medium="
                 "email&utm_campaign=newsletter-{week}&utm_content=product_1", 2, "mc_eid", mail),
        Campaign("email", "/cart", "utm_source=crm&utm_medium=email&utm_campaign=abandoned_cart",
                 1, None, mail),
        Campaign("paid", "/collections/sale", "utm_source=google&utm_medium=cpc&utm_campaign="
                 "spring_sale_de&utm_term=outdoor+jacke+sale&gad_source=1", 4, "gclid",
                 ("https://www.google.com/", "https://www.google.de/")),
        Campaign("paid", "/products/trail-runner-gtx", "utm_source=google&utm_medium=cpc&"
                 "utm_campaign=pmax_shoes&gad_source=1", 3, "gclid", ("https://www.google.de/",)),
        Campaign("paid", "/", "utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term="
                 "example+shop", 2, "gclid", ("https://www.google.de/", "https://www.google.at/")),
        Campaign("paid", "/collections/jackets", "utm_source=bing&utm_medium=cpc&utm_campaign="
                 "jackets_generic&utm_term=regenjacke+herren", 1, "msclkid",
                 ("https://www.bing.com/",)),
        Campaign("paid", "/collections/sale", "utm_source=facebook&utm_medium=paid_social&"
                 "utm_campaign=Spring%20Sale%202025&utm_content=carousel_b", 2, "fbclid",
                 ("https://m.facebook.com/", "https://l.instagram.com/", "")),
    )  # fmt: skip


SITE = Site(
    key="shop",
    domain="www.example-shop.com",
    distribution="E2QWRUHAPOMQZL",
    cf_host="d1v2ldhk6qzy4t.cloudfront.net",
    sessions_per_day=700,
    hours=LEISURE_HOURS,
    days=LEISURE_DAYS,
    audience={
        "berlin": 14,
        "munich": 12,
        "hamburg": 9,
        "cologne": 10,
        "vienna": 9,
        "zurich": 7,
        "amsterdam": 3,
        "london": 3,
        "paris": 2,
        "milan": 2,
        "prague": 2,
        "warsaw": 2,
        "stockholm": 1.5,
        "new-york": 1.5,
        "istanbul": 1,
        "dubai": 0.5,
        "sydney": 0.5,
    },
    devices={"mobile": 0.58, "desktop": 0.35, "tablet": 0.07},
    sources={
        "direct": 0.22,
        "organic": 0.36,
        "social": 0.10,
        "email": 0.08,
        "paid": 0.16,
        "referral": 0.08,
    },
    social={"facebook": 4, "instagram": 5, "pinterest": 2, "youtube": 1, "reddit": 0.5},
    pages=_pages(),
    layout=(
        asset("/assets/theme.4f3a9c1e.css", 48_200, "text/css"),
        asset("/assets/vendor.1c9e4a77.js", 91_400, "application/javascript"),
        asset("/assets/app.8b2d71f0.js", 37_900, "application/javascript"),
    ),
    fonts=(asset("/fonts/inter-var.woff2", 97_000, "font/woff2"),),
    icons=(
        image("/favicon.ico", 15_086),
        asset("/site.webmanifest", 412, "application/manifest+json"),
    ),
    campaigns=_campaigns(),
    referrals=(
        Referral(
            "https://www.idealo.de/",
            4,
            "/products/trail-runner-gtx",
            "utm_source=idealo&utm_medium=cpc&utm_campaign=preisvergleich",
        ),
        Referral("https://www.trustpilot.com/", 1),
        Referral("https://www.outdoor-magazin.com/", 2, "/blog/layering-guide"),
        Referral("https://www.mydealz.de/", 2, "/collections/sale"),
        Referral("https://chatgpt.com/", 1, None, "utm_source=chatgpt.com"),
    ),
    robots=(
        asset("/robots.txt", 312, "text/plain"),
        asset("/sitemap.xml", 9_800, "application/xml", hit=0.7),
    ),
    broken=(missing("/products/trail-runner-2019"), missing("/collections/winter-2023")),
    continue_share=0.66,
    origin_latency=0.21,
)
