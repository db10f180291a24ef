"""Bot categories: a kept list from a bot's name (as ingester/enrich/useragent.py names it) to
what it is. A name not listed is "other". Names match without regard to case.

The refresh stores each bot's category in its rollup rows (rollup_bots_daily), so after a change
here `edgelog refresh --full bots_daily` puts the new categories on past days.
"""

from __future__ import annotations

import json

SEARCH_ENGINE = "search engine"
AI_CRAWLER = "AI crawler"
SEO_TOOL = "SEO tool"
MONITOR = "monitor"
SCANNER = "scanner"
HTTP_LIBRARY = "HTTP library"
OTHER = "other"
CATEGORIES = (SEARCH_ENGINE, AI_CRAWLER, SEO_TOOL, MONITOR, SCANNER, HTTP_LIBRARY, OTHER)

_KEPT: dict[str, tuple[str, ...]] = {
    SEARCH_ENGINE: (
        "Googlebot", "Googlebot-Image", "Googlebot-Video", "Googlebot-News", "Storebot-Google",
        "AdsBot-Google", "AdsBot-Google-Mobile", "Mediapartners-Google", "GoogleOther",
        "Google-InspectionTool", "bingbot", "BingPreview", "msnbot", "adidxbot", "Applebot",
        "DuckDuckBot", "DuckDuckGo-Favicons-Bot", "YandexBot", "YandexImages", "Baiduspider",
        "Sogou", "Yeti", "Qwantify", "SeznamBot", "Exabot", "coccocbot", "PetalBot",
        "MojeekBot", "ia_archiver",
    ),
    AI_CRAWLER: (
        "GPTBot", "ChatGPT-User", "OAI-SearchBot", "ClaudeBot", "Claude-Web", "Claude-User",
        "Claude-SearchBot", "anthropic-ai", "CCBot", "PerplexityBot", "Perplexity-User",
        "Google-Extended", "Applebot-Extended", "Bytespider", "Amazonbot", "meta-externalagent",
        "FacebookBot", "cohere-ai", "Diffbot", "YouBot", "AI2Bot", "Timpibot", "ImagesiftBot",
        "omgili", "omgilibot",
    ),
    SEO_TOOL: (
        "AhrefsBot", "AhrefsSiteAudit", "SemrushBot", "SiteAuditBot", "MJ12bot", "DotBot",
        "rogerbot", "BLEXBot", "serpstatbot", "DataForSeoBot", "Screaming Frog SEO Spider",
        "SEOkicks", "barkrowler", "Seekport",
    ),
    MONITOR: (
        "Route 53 health check", "Pingdom", "UptimeRobot", "StatusCake", "Better Uptime",
        "Datadog Synthetics", "ELB-HealthChecker", "Site24x7", "NewRelicPinger", "Checkly",
        "GTmetrix", "Chrome-Lighthouse", "Uptime-Kuma", "Freshping", "HetrixTools",
    ),
    SCANNER: (
        "CensysInspect", "Expanse", "Nikto", "sqlmap", "masscan", "zgrab", "Nmap", "Nuclei",
        "feroxbuster", "gobuster", "dirbuster", "wpscan", "InternetMeasurement",
        "Palo Alto Networks", "LeakIX", "l9explore", "NetcraftSurveyAgent", "Shodan",
        "ModatScanner", "Odin",
    ),
    HTTP_LIBRARY: (
        "curl", "Wget", "python-requests", "python-httpx", "Python-urllib", "aiohttp",
        "Go-http-client", "okhttp", "Java", "Apache-HttpClient", "axios", "node-fetch", "undici",
        "libwww-perl", "Scrapy", "HeadlessChrome", "PostmanRuntime", "Dart", "Ruby",
        "GuzzleHttp", "reqwest", "HTTPie",
    ),
}  # fmt: skip

BOT_CATEGORIES: dict[str, str] = {
    name.lower(): category for category, names in _KEPT.items() for name in names
}


def bot_category(bot_name: str | None) -> str:
    """The category of a bot by its name: one of CATEGORIES."""
    return BOT_CATEGORIES.get((bot_name or "").lower(), OTHER)


def categories_json() -> str:
    """The kept list as the refresh passes it to SQL: {lowercased name: category}."""
    return json.dumps(BOT_CATEGORIES, sort_keys=True)
