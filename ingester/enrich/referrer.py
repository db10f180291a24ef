"""Referrers: the referring page's domain and path, and the channel that implies.

Only the domain and path of a referrer are kept: its query string and fragment
can carry search terms, session ids and password-reset tokens.

The domain lists below are plain data; extend them freely. An entry matches
that host and every subdomain of it (l.facebook.com, m.facebook.com,
uk.search.yahoo.com). An entry ending in ".*" matches under any public suffix
from the ICANN section of the Public Suffix List, so "google.*" covers
google.de, www.google.co.uk and google.com.au without listing every country.
(The list's private section is left out on purpose: it would make blogspot.com a
suffix and so google.blogspot.com a Google domain.) When several entries match,
the most specific wins: mail.google.com is Email although google.* is Search.
Entries may also be Android app ids, which Android sends as the referrer's host
(android-app://com.google.android.gm/).
"""

from __future__ import annotations

import ipaddress
from functools import cache, lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from ingester.enrich.channel import Channel

SEARCH_ENGINES = frozenset(
    {
        # All of Google, including news.google.com and images: they are search
        # verticals. Google's non-search sites are in OTHER_SITES, its mail in WEBMAIL.
        "google.*",
        "com.google.android.googlequicksearchbox",  # the Google app
        "bing.com",
        "duckduckgo.com",
        "search.yahoo.*",  # not yahoo.* itself: that is a portal (news, finance, mail)
        "yandex.*",
        "ya.ru",
        "baidu.com",
        "ecosia.org",
        "search.brave.com",
        "startpage.com",
        "qwant.com",
        "search.naver.com",
        "seznam.cz",
        "kagi.com",
        "ask.com",
        "search.aol.com",
        "sogou.com",
        "so.com",
        "search.daum.net",
        "mojeek.com",
        "petalsearch.com",
        "coccoc.com",
    }
)

# Mastodon, Lemmy and other federated instances are too many to list: they count
# as Referral.
SOCIAL_NETWORKS = frozenset(
    {
        "facebook.com",  # l.facebook.com and lm.facebook.com are its outbound-link shims
        "fb.com",
        "fb.me",
        "messenger.com",
        "com.facebook.katana",
        "instagram.com",
        "threads.net",
        "threads.com",
        "twitter.com",
        "x.com",
        "t.co",
        "com.twitter.android",
        "linkedin.com",
        "lnkd.in",
        "com.linkedin.android",
        "reddit.com",
        "redd.it",
        "com.reddit.frontpage",
        "pinterest.*",
        "pin.it",
        "youtube.com",
        "youtu.be",
        "tiktok.com",
        "news.ycombinator.com",
        "vk.com",
        "ok.ru",
        "weibo.com",
        "weibo.cn",
        "bsky.app",
        "tumblr.com",
        "quora.com",
        "discord.com",
        "t.me",
        "whatsapp.com",
        "snapchat.com",
        "xing.com",
        "line.me",
    }
)

WEBMAIL = frozenset(
    {
        "mail.google.com",
        "com.google.android.gm",  # the Gmail app
        "outlook.live.com",
        "outlook.office.com",
        "outlook.office365.com",
        "safelinks.protection.outlook.com",  # Outlook's link checker
        "mail.yahoo.*",
        "mail.proton.me",
        "mail.protonmail.com",
        "mail.aol.com",
        "mail.yandex.*",
        "e.mail.ru",
        "mail.zoho.*",
        "app.fastmail.com",
        "email.seznam.cz",
        "mail.qq.com",
        "mail.163.com",
        "app.tuta.com",
        # GMX, WEB.DE and mail.com send every link through these redirectors.
        "deref-gmx.net",
        "deref-gmx.com",
        "deref-web.de",
        "deref-web-02.de",
        "deref-mail.com",
    }
)

# Hosts under the domains above that are ordinary websites (documents, user
# sites, stores): a link from them is a Referral.
OTHER_SITES = frozenset(
    {
        "docs.google.*",
        "drive.google.*",
        "sites.google.*",
        "groups.google.*",
        "support.google.*",
        "play.google.*",
        "translate.google.*",
        "developers.google.*",
    }
)

# utm_source names that no entry above yields. Each bare entry ("bing.com",
# "google.*", "t.co") already lends its name ("bing", "google", "t").
SOURCE_NAMES = {
    Channel.ORGANIC_SEARCH: frozenset({"yahoo", "brave", "naver", "daum", "aol"}),
    Channel.SOCIAL: frozenset({"ig", "hackernews", "hn", "bluesky", "mastodon", "meta"}),
    Channel.EMAIL: frozenset(
        {"email", "e-mail", "e_mail", "mail", "newsletter", "gmail", "outlook", "mailchimp"}
    ),
}

_LISTS = {
    Channel.ORGANIC_SEARCH: SEARCH_ENGINES,
    Channel.SOCIAL: SOCIAL_NETWORKS,
    Channel.EMAIL: WEBMAIL,
    Channel.REFERRAL: OTHER_SITES,
}


class Referrer(NamedTuple):
    domain: str  # lower-case host without port and without a leading "www."
    path: str  # path only, "/" when empty: never the query string or fragment


def parse_referrer(value: str) -> Referrer | None:
    """The referrer's domain and path; None for "", "-" or a value without a host.

    `value` is the log's referrer field, already %-decoded once.
    """
    if value in ("", "-"):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed "[" of an IPv6 host
        return None
    if not host:
        return None
    return Referrer(_bare_host(host), parts.path or "/")


def referrer_channel(referrer: Referrer | None, site: str) -> Channel:
    """The channel a referrer implies for a visit to `site` (the host the viewer used).

    No referrer is Direct; the site itself (with or without "www.") is Internal;
    a listed search engine, social network or webmail is Organic Search, Social or
    Email; anything else is Referral.
    """
    if referrer is None:
        return Channel.DIRECT
    if referrer.domain == _site_domain(site):
        return Channel.INTERNAL
    return domain_channel(referrer.domain) or Channel.REFERRAL


@lru_cache(maxsize=65536)  # a public suffix lookup costs about 150 µs
def domain_channel(domain: str) -> Channel | None:
    """The channel of the most specific list entry matching `domain`, None if none does."""
    domain = _bare_host(domain)
    if _is_ip_address(domain):
        return None
    suffix = _suffixes().publicsuffix(domain) or domain.rpartition(".")[2]
    if suffix == domain or not domain.endswith("." + suffix):
        return None
    labels = domain[: -len(suffix) - 1].split(".")
    table = _table()
    for start in range(len(labels)):  # most specific first
        stem = ".".join(labels[start:])
        for key in (f"{stem}.{suffix}", f"{stem}.*"):
            if key in table:
                return table[key]
    return None


@lru_cache(maxsize=4096)  # decide_channel may run once per log line
def source_channel(source: str) -> Channel | None:
    """The channel a utm_source names: Organic Search, Social or Email, else None.

    A source is either a name ("google", "facebook", "newsletter") or a host
    ("news.ycombinator.com", "l.facebook.com").
    """
    name = source.strip().lower()
    if "://" in name:
        referrer = parse_referrer(name)
        name = referrer.domain if referrer else ""
    channel = domain_channel(name) if "." in name else _source_names().get(name)
    return None if channel is Channel.REFERRAL else channel


def _bare_host(host: str) -> str:
    return host.lower().rstrip(".").removeprefix("www.")


@lru_cache(maxsize=4096)
def _site_domain(site: str) -> str:
    try:
        host = urlsplit("//" + site).hostname  # drops a port, IPv6 brackets included
    except ValueError:
        host = None
    return _bare_host(host or site)


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@cache
def _suffixes() -> PublicSuffixList:
    # The list ships inside the package: nothing is downloaded.
    return PublicSuffixList(only_icann=True)


@cache
def _table() -> dict[str, Channel]:
    return {entry: channel for channel, entries in _LISTS.items() for entry in entries}


@cache
def _source_names() -> dict[str, Channel]:
    """Names for utm_source: each single-label entry's label, plus SOURCE_NAMES."""
    names: dict[str, Channel] = {}
    for channel in SOURCE_NAMES:
        for entry in _LISTS[channel]:
            stem = _entry_stem(entry)
            if "." not in stem:
                names.setdefault(stem, channel)
        for name in SOURCE_NAMES[channel]:
            names.setdefault(name, channel)
    return names


def _entry_stem(entry: str) -> str:
    """An entry without its suffix: "google.*" → "google", "mail.yahoo.*" → "mail.yahoo"."""
    if entry.endswith(".*"):
        return entry[:-2]
    suffix = _suffixes().publicsuffix(entry) or ""
    return entry[: -len(suffix) - 1] if suffix and suffix != entry else entry
