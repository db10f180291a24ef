"""Campaign tags (utm_*) and ad click ids in a request's query string, and the visit's channel."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qsl, unquote_plus

from ingester.enrich.channel import Channel
from ingester.enrich.referrer import source_channel

# utm_medium values, compared lower-cased.
PAID_SEARCH_MEDIUMS = frozenset(
    {"cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search", "sem", "sea"}
)
# The ones that say "an ad" but not where: with a social source they are social ads.
AD_MEDIUMS = frozenset({"cpc", "ppc", "paid"})
EMAIL_MEDIUMS = frozenset({"email", "e-mail", "e_mail", "e mail", "newsletter"})
SOCIAL_MEDIUMS = frozenset(
    {
        "social",
        "social-network",
        "social_network",
        "social-media",
        "social_media",
        "sm",
        "paid_social",
        "paid-social",
        "paidsocial",
    }
)
ORGANIC_MEDIUMS = frozenset({"organic"})
REFERRAL_MEDIUMS = frozenset({"referral"})

# Click ids that only an ad click carries, and those a social network adds to its
# outbound links (fbclid is on every Facebook link, not only on ads).
PAID_SEARCH_CLICK_IDS = frozenset({"gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid"})
SOCIAL_CLICK_IDS = frozenset({"fbclid", "ttclid", "twclid", "li_fat_id", "igshid"})

_UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")


class Campaign(NamedTuple):
    source: str | None  # lower-cased
    medium: str | None  # lower-cased
    campaign: str | None
    content: str | None
    term: str | None


class QueryInfo(NamedTuple):
    query: str | None  # the query string minus click-id parameters; None if nothing is left
    campaign: Campaign | None  # None when no utm_* parameter has a value
    click_ids: frozenset[str]  # names of the click-id parameters that were present


def inspect_query(query: str, click_ids: frozenset[str]) -> QueryInfo:
    """Split a request's query string into what is stored, its campaign and its click ids.

    `query` is the log's query field, %-decoded once: the string the browser sent.
    Click-id parameters (names compared case-insensitively) are removed; the other
    parameters are kept byte for byte and in order, and empty "&&" pieces are
    dropped only when something was removed. "" and CloudFront's "-" mean no query.
    """
    if query in ("", "-"):
        return QueryInfo(None, None, frozenset())
    wanted = {name.lower() for name in click_ids}
    kept: list[str] = []
    found: set[str] = set()
    for part in query.split("&"):
        name = unquote_plus(part.partition("=")[0]).strip().lower()
        if name in wanted:
            found.add(name)
        else:
            kept.append(part)
    cleaned = "&".join(part for part in kept if part) if found else query
    return QueryInfo(cleaned or None, _campaign(query), frozenset(found))


def decide_channel(
    referrer: Channel, campaign: Campaign | None, click_ids: frozenset[str]
) -> Channel:
    """A visit's channel from its referrer's channel, campaign tags and click ids.

    The first rule that applies wins (GA4's default channel grouping, simplified):

    1. Internal stays Internal: navigation within the site keeps its visit.
    2. A paid-search click id (gclid, msclkid, ...) → Paid Search.
    3. utm_medium cpc/ppc/paid/paidsearch/sem/... → Paid Search, except the generic
       cpc/ppc/paid from a social network (utm_source, referrer or social click id)
       → Social, as there is no Paid Social channel.
    4. utm_medium email/e-mail/newsletter → Email.
    5. utm_medium social/social-media/sm/paid_social/... or a social click id
       (fbclid, ttclid, ...) → Social.
    6. utm_medium organic → Organic Search (Social if utm_source is a social network).
    7. utm_medium referral → Referral.
    8. No referrer (Direct) and utm_source names a search engine, social network or
       email ("google", "facebook", "newsletter") → that channel.
    9. Otherwise the referrer's channel.
    """
    if referrer is Channel.INTERNAL:
        return referrer
    medium = campaign.medium if campaign else None
    named = source_channel(campaign.source) if campaign and campaign.source else None
    social = Channel.SOCIAL in (named, referrer) or bool(click_ids & SOCIAL_CLICK_IDS)
    if click_ids & PAID_SEARCH_CLICK_IDS:
        return Channel.PAID_SEARCH
    if medium in PAID_SEARCH_MEDIUMS:
        return Channel.SOCIAL if medium in AD_MEDIUMS and social else Channel.PAID_SEARCH
    if medium in EMAIL_MEDIUMS:
        return Channel.EMAIL
    if medium in SOCIAL_MEDIUMS or click_ids & SOCIAL_CLICK_IDS:
        return Channel.SOCIAL
    if medium in ORGANIC_MEDIUMS:
        return Channel.SOCIAL if named is Channel.SOCIAL else Channel.ORGANIC_SEARCH
    if medium in REFERRAL_MEDIUMS:
        return Channel.REFERRAL
    if referrer is Channel.DIRECT and named is not None:
        return named
    return referrer


def _campaign(query: str) -> Campaign | None:
    if "utm" not in query.lower():  # cheap test first; "utm%5Fsource" counts too
        return None
    values: dict[str, str] = {}
    for name, value in parse_qsl(query):
        key, value = name.strip().lower(), value.strip()
        if key in _UTM_PARAMETERS and value and key not in values:
            values[key] = value  # the first non-empty one, as analytics tools do
    if not values:
        return None
    source, medium = values.get("utm_source"), values.get("utm_medium")
    return Campaign(
        source=source.lower() if source else None,
        medium=medium.lower() if medium else None,
        campaign=values.get("utm_campaign"),
        content=values.get("utm_content"),
        term=values.get("utm_term"),
    )
