"""parse_referrer and referrer_channel: domain, path and the channel a referrer implies."""

from __future__ import annotations

import pytest

from ingester.enrich import referrer as module
from ingester.enrich.channel import Channel
from ingester.enrich.referrer import (
    Referrer,
    domain_channel,
    parse_referrer,
    referrer_channel,
    source_channel,
)

SITE = "www.example.com"

SEARCH, SOCIAL, EMAIL = Channel.ORGANIC_SEARCH, Channel.SOCIAL, Channel.EMAIL
REFERRAL, INTERNAL = Channel.REFERRAL, Channel.INTERNAL

REFERRERS = [
    # referrer as logged (decoded once), domain, path, channel for SITE
    ("https://www.google.com/", "google.com", "/", SEARCH),
    ("https://www.google.co.uk/search?q=x", "google.co.uk", "/search", SEARCH),
    ("https://www.google.de/", "google.de", "/", SEARCH),
    ("https://google.com.au/url?sa=t&url=x", "google.com.au", "/url", SEARCH),
    ("https://news.google.com/articles/C", "news.google.com", "/articles/C", SEARCH),
    ("https://www.bing.com/search?q=x&form=QBLH", "bing.com", "/search", SEARCH),
    ("https://duckduckgo.com/", "duckduckgo.com", "/", SEARCH),
    ("https://uk.search.yahoo.com/search?p=x", "uk.search.yahoo.com", "/search", SEARCH),
    ("https://search.yahoo.co.jp/search?p=x", "search.yahoo.co.jp", "/search", SEARCH),
    ("https://yandex.ru/search/?text=x", "yandex.ru", "/search/", SEARCH),
    ("https://yandex.com.tr/", "yandex.com.tr", "/", SEARCH),
    ("https://www.baidu.com/link?url=abc", "baidu.com", "/link", SEARCH),
    ("https://www.ecosia.org/search?q=x", "ecosia.org", "/search", SEARCH),
    ("https://search.brave.com/search?q=x", "search.brave.com", "/search", SEARCH),
    ("https://www.startpage.com/", "startpage.com", "/", SEARCH),
    ("https://www.qwant.com/?q=x", "qwant.com", "/", SEARCH),
    ("https://m.search.naver.com/search.naver?q=x", "m.search.naver.com", "/search.naver", SEARCH),
    ("https://search.seznam.cz/?q=x", "search.seznam.cz", "/", SEARCH),
    ("https://kagi.com/search?q=x", "kagi.com", "/search", SEARCH),
    (
        "android-app://com.google.android.googlequicksearchbox/",
        "com.google.android.googlequicksearchbox",
        "/",
        SEARCH,
    ),
    ("https://l.facebook.com/l.php?u=https://x.io/", "l.facebook.com", "/l.php", SOCIAL),
    ("https://m.facebook.com/", "m.facebook.com", "/", SOCIAL),
    ("https://www.instagram.com/", "instagram.com", "/", SOCIAL),
    ("https://t.co/AbCdEf123", "t.co", "/AbCdEf123", SOCIAL),
    ("https://x.com/someone/status/1", "x.com", "/someone/status/1", SOCIAL),
    ("https://twitter.com/", "twitter.com", "/", SOCIAL),
    ("https://www.linkedin.com/feed/", "linkedin.com", "/feed/", SOCIAL),
    ("https://lnkd.in/eXample", "lnkd.in", "/eXample", SOCIAL),
    ("https://old.reddit.com/r/python/", "old.reddit.com", "/r/python/", SOCIAL),
    ("https://www.pinterest.co.uk/pin/1/", "pinterest.co.uk", "/pin/1/", SOCIAL),
    ("https://www.youtube.com/watch?v=x", "youtube.com", "/watch", SOCIAL),
    ("https://www.tiktok.com/", "tiktok.com", "/", SOCIAL),
    ("https://news.ycombinator.com/item?id=1", "news.ycombinator.com", "/item", SOCIAL),
    ("https://vk.com/away.php?to=x", "vk.com", "/away.php", SOCIAL),
    ("https://weibo.com/", "weibo.com", "/", SOCIAL),
    ("https://www.threads.net/", "threads.net", "/", SOCIAL),
    ("https://bsky.app/profile/x", "bsky.app", "/profile/x", SOCIAL),
    ("https://mail.google.com/", "mail.google.com", "/", EMAIL),
    ("android-app://com.google.android.gm/", "com.google.android.gm", "/", EMAIL),
    ("https://outlook.live.com/", "outlook.live.com", "/", EMAIL),
    ("https://outlook.office.com/mail/", "outlook.office.com", "/mail/", EMAIL),
    ("https://mail.yahoo.com/d/folders/1", "mail.yahoo.com", "/d/folders/1", EMAIL),
    ("https://mail.proton.me/u/0/inbox", "mail.proton.me", "/u/0/inbox", EMAIL),
    (
        "https://deref-gmx.net/mail/client/x/dereferrer/?redirectUrl=y",
        "deref-gmx.net",
        "/mail/client/x/dereferrer/",
        EMAIL,
    ),
    ("https://docs.google.com/document/d/1", "docs.google.com", "/document/d/1", REFERRAL),
    ("https://someones-blog.net/2024/post", "someones-blog.net", "/2024/post", REFERRAL),
    ("https://google.blogspot.com/", "google.blogspot.com", "/", REFERRAL),
    ("https://mastodon.social/@someone", "mastodon.social", "/@someone", REFERRAL),
    ("http://192.0.2.10:8080/page", "192.0.2.10", "/page", REFERRAL),
    ("https://www.example.com/pricing?plan=pro", "example.com", "/pricing", INTERNAL),
    ("https://example.com/", "example.com", "/", INTERNAL),
    ("https://WWW.Example.COM:443/About#team", "example.com", "/About", INTERNAL),
    ("https://blog.example.com/", "blog.example.com", "/", REFERRAL),
]


@pytest.mark.parametrize(("value", "domain", "path", "channel"), REFERRERS)
def test_a_referrer_gives_its_domain_path_and_channel(value, domain, path, channel):
    referrer = parse_referrer(value)
    assert referrer == Referrer(domain, path)
    assert referrer_channel(referrer, SITE) is channel


@pytest.mark.parametrize("site", ["www.example.com", "example.com", "EXAMPLE.com:443"])
def test_the_site_is_internal_with_or_without_www(site):
    for value in ("https://www.example.com/", "https://example.com/x"):
        assert referrer_channel(parse_referrer(value), site) is Channel.INTERNAL


@pytest.mark.parametrize(
    "value", ["", "-", "not a url", "/relative/path", "https://", "http://[::1"]
)
def test_a_referrer_without_a_host_is_none(value):
    assert parse_referrer(value) is None


def test_no_referrer_is_direct():
    assert referrer_channel(None, SITE) is Channel.DIRECT


def test_a_referrer_never_keeps_its_query_or_fragment():
    referrer = parse_referrer("https://blog.net/reset?token=s3cret&email=a@b.c#frag")
    assert referrer == Referrer("blog.net", "/reset")


@pytest.mark.parametrize(
    ("source", "channel"),
    [
        ("google", Channel.ORGANIC_SEARCH),
        ("Bing", Channel.ORGANIC_SEARCH),
        ("yahoo", Channel.ORGANIC_SEARCH),
        ("duckduckgo", Channel.ORGANIC_SEARCH),
        ("facebook", Channel.SOCIAL),
        ("fb", Channel.SOCIAL),
        ("instagram", Channel.SOCIAL),
        ("ig", Channel.SOCIAL),
        ("linkedin", Channel.SOCIAL),
        ("twitter", Channel.SOCIAL),
        ("x", Channel.SOCIAL),
        ("reddit", Channel.SOCIAL),
        ("youtube", Channel.SOCIAL),
        ("hackernews", Channel.SOCIAL),
        ("news.ycombinator.com", Channel.SOCIAL),
        ("newsletter", Channel.EMAIL),
        ("email", Channel.EMAIL),
        ("mailchimp", Channel.EMAIL),
        ("www.google.de", Channel.ORGANIC_SEARCH),
        ("https://l.facebook.com/", Channel.SOCIAL),
        ("http://[broken", None),
        ("docs.google.com", None),
        ("partner-site", None),
        ("someones-blog.net", None),
        ("", None),
    ],
)
def test_a_utm_source_names_a_channel_through_the_same_lists(source, channel):
    assert source_channel(source) is channel


@pytest.mark.parametrize(
    "entry",
    sorted(module.SEARCH_ENGINES | module.SOCIAL_NETWORKS | module.WEBMAIL | module.OTHER_SITES),
)
def test_every_list_entry_is_reachable_as_its_own_channel(entry):
    host = entry.replace(".*", ".co.uk")
    assert domain_channel(host) is module._table()[entry]
    assert domain_channel("sub." + host) is module._table()[entry]


def test_no_entry_is_in_two_lists():
    lists = list(module._LISTS.values())
    assert sum(map(len, lists)) == len(frozenset().union(*lists))


def test_no_source_name_points_to_two_channels():
    claimed: dict[str, Channel] = {}
    for channel, aliases in module.SOURCE_NAMES.items():
        stems = {module._entry_stem(entry) for entry in module._LISTS[channel]}
        for name in {stem for stem in stems if "." not in stem} | aliases:
            assert claimed.setdefault(name, channel) is channel, name


def test_channels_have_dashboard_labels():
    assert {channel: channel.label for channel in Channel} == {
        Channel.DIRECT: "Direct",
        Channel.ORGANIC_SEARCH: "Organic Search",
        Channel.PAID_SEARCH: "Paid Search",
        Channel.SOCIAL: "Social",
        Channel.EMAIL: "Email",
        Channel.REFERRAL: "Referral",
        Channel.INTERNAL: "Internal",
    }


def test_channel_values_never_change():
    assert {channel.name: channel.value for channel in Channel} == {
        "DIRECT": 1,
        "ORGANIC_SEARCH": 2,
        "PAID_SEARCH": 3,
        "SOCIAL": 4,
        "EMAIL": 5,
        "REFERRAL": 6,
        "INTERNAL": 7,
    }
