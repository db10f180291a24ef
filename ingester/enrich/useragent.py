"""User agents: browser, OS and device for people; a readable name for bots.

`user-agents` reads browsers, systems and devices but misses many of the
command-line clients, scanners and monitors that reach a CDN. Bots come from
crawlerdetect's pattern list instead, and the bot's name is the product token
its pattern matched in the user agent ("Googlebot/2.1" → "Googlebot").
"""

from __future__ import annotations

import re
from typing import NamedTuple

import user_agents
from crawlerdetect import CrawlerDetect
from user_agents.parsers import UserAgent as ParsedUserAgent

# Checked before crawlerdetect, in order: bots it misses (a test fails once it
# learns them, so they can go), and bots whose product token is not a readable name.
KNOWN_BOTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        # Missed by crawlerdetect:
        (r"^Datadog/Synthetics", "Datadog Synthetics"),  # API tests
        (r"^feroxbuster/", "feroxbuster"),
        # Known to crawlerdetect, under awkward names:
        (r"^Amazon-Route53-Health-Check-Service", "Route 53 health check"),
        (r"pingdom", "Pingdom"),  # "Pingdom.com_bot_version_1.4_(...)", "PingdomTMS/0.8.5"
        (r"Better ?Uptime|Better Stack", "Better Uptime"),
        (r"StatusCake", "StatusCake"),
        (r"^Expanse, a Palo Alto Networks company|^Hello from Palo Alto Networks", "Expanse"),
        (r"DatadogSynthetics", "Datadog Synthetics"),  # browser tests
    )
)

# crawlerdetect's catch-all pattern can match a bare word; such a name says nothing.
_GENERIC_WORDS = frozenset({"bot", "crawler", "spider", "uptime", "monitoring", "checker"})
_TOKEN_DELIMITERS = frozenset(" \t;(),+")


class UserAgent(NamedTuple):
    browser: str | None
    browser_version: str | None
    os: str | None
    os_version: str | None
    device_type: str  # "desktop", "mobile", "tablet", "bot" or "other"
    is_bot: bool
    bot_name: str | None  # e.g. "Googlebot", "curl", "Route 53 health check"


def describe_user_agent(user_agent: str) -> UserAgent:
    """Browser, OS, device type and bot name of a user-agent string.

    An empty user agent ("" or CloudFront's "-") counts as a bot without a name:
    every browser sends one, scripts sometimes do not.
    """
    parsed = user_agents.parse(user_agent)
    browser, os = parsed.browser, parsed.os
    bot_name = _bot_name(user_agent, parsed)
    is_bot = bot_name is not None or parsed.is_bot or user_agent.strip() in ("", "-")
    return UserAgent(
        browser=_family(browser.family),
        browser_version=_version(browser.version),
        os=_family(os.family),
        os_version=_version(os.version),
        device_type="bot" if is_bot else _device_type(parsed),
        is_bot=is_bot,
        bot_name=bot_name,
    )


def _bot_name(user_agent: str, parsed: ParsedUserAgent) -> str | None:
    for pattern, name in KNOWN_BOTS:
        if pattern.search(user_agent):
            return name
    # A fresh detector per call: it keeps the last match on the instance.
    detector = CrawlerDetect()
    if detector.is_crawler(user_agent):
        name = _product_token(user_agent, detector.get_matches() or "")
        if name and name.lower() not in _GENERIC_WORDS:
            return name
        return _family(parsed.browser.family) or name or None
    if parsed.is_bot:
        return _family(parsed.browser.family)
    return None


def _product_token(user_agent: str, match: str) -> str:
    """The token around `match` without its version ("Headless" → "HeadlessChrome").

    A match inside a URL ("+https://leakix.net") is kept as matched.
    """
    start = user_agent.lower().find(match.lower()) if match else -1
    if start < 0:
        return match.strip()
    end = start + len(match)
    while start > 0 and user_agent[start - 1] not in _TOKEN_DELIMITERS:
        start -= 1
    while end < len(user_agent) and user_agent[end] not in _TOKEN_DELIMITERS:
        end += 1
    token = user_agent[start:end]
    if "://" in token or "@" in token:
        token = match
    return token.split("/")[0].strip(" .,:;-_") or match.strip()


def _device_type(parsed: ParsedUserAgent) -> str:
    if parsed.is_tablet:
        return "tablet"
    if parsed.is_mobile:
        return "mobile"
    if parsed.is_pc:
        return "desktop"
    return "other"


def _family(family: str | None) -> str | None:
    return None if not family or family == "Other" else family


def _version(parts: tuple) -> str | None:
    """Major.minor.patch as far as known: (120, 0, 6099) → "120.0.6099"."""
    text = ".".join(str(part) for part in parts[:3] if part != "")
    return text or None
