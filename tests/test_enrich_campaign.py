"""inspect_query and decide_channel: click ids out, utm_* read, the visit's channel decided."""

from __future__ import annotations

import pytest

from ingester.enrich.campaign import Campaign, QueryInfo, decide_channel, inspect_query
from ingester.enrich.channel import Channel
from ingester.enrich.referrer import parse_referrer, referrer_channel
from ingester.settings import CLICK_IDS as CLICK_ID_SETTING

CLICK_IDS = frozenset(CLICK_ID_SETTING.split(","))
NONE = frozenset()


@pytest.mark.parametrize(
    ("query", "kept", "click_ids"),
    [
        ("page=2&sort=price", "page=2&sort=price", NONE),
        ("gclid=Cj0KCQiA&page=2", "page=2", {"gclid"}),
        ("page=2&fbclid=IwAR2x_y&sort=price", "page=2&sort=price", {"fbclid"}),
        ("fbclid=IwAR2x", None, {"fbclid"}),
        (
            "q=caf%C3%A9+cr%C3%A8me&msclkid=abc&x=%2F%3D",
            "q=caf%C3%A9+cr%C3%A8me&x=%2F%3D",
            {"msclkid"},
        ),
        ("a=1&&b=2", "a=1&&b=2", NONE),  # untouched when nothing is removed
        ("a=1&&gclid=x&b=2&", "a=1&b=2", {"gclid"}),
        ("GCLID=x&a=1", "a=1", {"gclid"}),
        ("gclid&a=1", "a=1", {"gclid"}),
        (
            "utm_source=google&utm_medium=cpc&gclid=x&wbraid=y",
            "utm_source=google&utm_medium=cpc",
            {"gclid", "wbraid"},
        ),
        (
            "mc_eid=1a2b&_hsenc=p2&_hsmi=3&mkt_tok=4&srsltid=5&id=7",
            "id=7",
            {"mc_eid", "_hsenc", "_hsmi", "mkt_tok", "srsltid"},
        ),
        ("gclidx=1&xgclid=2", "gclidx=1&xgclid=2", NONE),
        ("", None, NONE),
        ("-", None, NONE),
    ],
)
def test_click_ids_are_removed_and_the_rest_kept_byte_for_byte(query, kept, click_ids):
    info = inspect_query(query, CLICK_IDS)
    assert info.query == kept
    assert info.click_ids == frozenset(click_ids)


@pytest.mark.parametrize(
    ("query", "campaign"),
    [
        ("page=2", None),
        (
            "utm_source=Google&utm_medium=CPC&utm_campaign=Spring%20Sale&utm_content=Ad+1&utm_term=red+shoes",
            Campaign("google", "cpc", "Spring Sale", "Ad 1", "red shoes"),
        ),
        ("utm_source=newsletter", Campaign("newsletter", None, None, None, None)),
        ("utm_medium=email&utm_campaign=Launch", Campaign(None, "email", "Launch", None, None)),
        ("utm_source=&utm_medium=", None),
        ("utm_source=a&utm_source=b", Campaign("a", None, None, None, None)),
        ("UTM_SOURCE=Bing", Campaign("bing", None, None, None, None)),
        ("utm_source=caf%C3%A9", Campaign("café", None, None, None, None)),
        ("utm_id=123", None),
    ],
)
def test_utm_parameters_make_the_campaign(query, campaign):
    assert inspect_query(query, CLICK_IDS).campaign == campaign


def test_a_query_keeps_its_utm_parameters_but_loses_its_click_ids():
    query = "utm_source=facebook&utm_medium=paid_social&fbclid=IwAR&utm_campaign=x"
    assert inspect_query(query, CLICK_IDS) == QueryInfo(
        query="utm_source=facebook&utm_medium=paid_social&utm_campaign=x",
        campaign=Campaign("facebook", "paid_social", "x", None, None),
        click_ids=frozenset({"fbclid"}),
    )


def test_only_the_click_ids_asked_for_are_removed():
    assert inspect_query("gclid=1&fbclid=2", frozenset({"fbclid"})).query == "gclid=1"


def _channel(query: str, referrer: str = "-", site: str = "www.example.com") -> Channel:
    info = inspect_query(query, CLICK_IDS)
    from_referrer = referrer_channel(parse_referrer(referrer), site)
    return decide_channel(from_referrer, info.campaign, info.click_ids)


GOOGLE = "https://www.google.com/"
FACEBOOK = "https://l.facebook.com/l.php"
BLOG = "https://someones-blog.net/post"
SELF = "https://www.example.com/pricing"


@pytest.mark.parametrize(
    ("query", "referrer", "channel"),
    [
        # no tags: the referrer decides
        ("", "-", Channel.DIRECT),
        ("", GOOGLE, Channel.ORGANIC_SEARCH),
        ("", FACEBOOK, Channel.SOCIAL),
        ("", BLOG, Channel.REFERRAL),
        ("", "https://mail.google.com/", Channel.EMAIL),
        # navigation within the site stays Internal, whatever the tags
        ("", SELF, Channel.INTERNAL),
        ("utm_medium=cpc&gclid=x", SELF, Channel.INTERNAL),
        # paid search
        ("gclid=Cj0KCQiA", GOOGLE, Channel.PAID_SEARCH),
        ("gbraid=1", "-", Channel.PAID_SEARCH),
        ("wbraid=1", "-", Channel.PAID_SEARCH),
        ("msclkid=1", "https://www.bing.com/", Channel.PAID_SEARCH),
        ("yclid=1", "-", Channel.PAID_SEARCH),
        ("dclid=1", BLOG, Channel.PAID_SEARCH),
        ("utm_source=google&utm_medium=cpc", GOOGLE, Channel.PAID_SEARCH),
        ("utm_source=bing&utm_medium=ppc", "-", Channel.PAID_SEARCH),
        ("utm_medium=paidsearch", "-", Channel.PAID_SEARCH),
        ("utm_medium=paid_search", "-", Channel.PAID_SEARCH),
        ("utm_medium=sem", BLOG, Channel.PAID_SEARCH),
        ("utm_medium=paid", "-", Channel.PAID_SEARCH),
        # a generic ad medium from a social network is a social ad
        ("utm_source=facebook&utm_medium=cpc", "-", Channel.SOCIAL),
        ("utm_medium=paid&fbclid=IwAR", "-", Channel.SOCIAL),
        ("utm_medium=cpc", FACEBOOK, Channel.SOCIAL),
        ("utm_source=facebook&utm_medium=paidsearch", "-", Channel.PAID_SEARCH),
        # email
        ("utm_medium=email", "-", Channel.EMAIL),
        ("utm_medium=E-Mail&utm_source=crm", BLOG, Channel.EMAIL),
        ("utm_medium=newsletter", "-", Channel.EMAIL),
        # social
        ("utm_medium=social", "-", Channel.SOCIAL),
        ("utm_medium=social-network", BLOG, Channel.SOCIAL),
        ("utm_medium=social-media", "-", Channel.SOCIAL),
        ("utm_medium=sm", "-", Channel.SOCIAL),
        ("utm_medium=paid_social", "-", Channel.SOCIAL),
        ("utm_medium=paidsocial", "-", Channel.SOCIAL),
        ("fbclid=IwAR", "-", Channel.SOCIAL),
        ("ttclid=1", "-", Channel.SOCIAL),
        ("twclid=1", "-", Channel.SOCIAL),
        ("li_fat_id=1", "-", Channel.SOCIAL),
        ("igshid=1", "-", Channel.SOCIAL),
        # organic and referral mediums
        ("utm_medium=organic&utm_source=google", "-", Channel.ORGANIC_SEARCH),
        ("utm_medium=organic&utm_source=linkedin", "-", Channel.SOCIAL),
        ("utm_medium=referral&utm_source=partner", "-", Channel.REFERRAL),
        ("utm_medium=referral", GOOGLE, Channel.REFERRAL),
        # utm_source alone, without a referrer
        ("utm_source=google", "-", Channel.ORGANIC_SEARCH),
        ("utm_source=facebook", "-", Channel.SOCIAL),
        ("utm_source=news.ycombinator.com", "-", Channel.SOCIAL),
        ("utm_source=newsletter", "-", Channel.EMAIL),
        ("utm_source=partner-site", "-", Channel.DIRECT),
        # utm_source alone with a referrer: the referrer decides
        ("utm_source=newsletter", BLOG, Channel.REFERRAL),
        ("utm_source=facebook", GOOGLE, Channel.ORGANIC_SEARCH),
        # an unknown medium: the referrer, or the source without one
        ("utm_medium=display&utm_source=partner", BLOG, Channel.REFERRAL),
        ("utm_medium=qr&utm_source=instagram", "-", Channel.SOCIAL),
    ],
)
def test_the_channel_follows_the_documented_rules(query, referrer, channel):
    assert _channel(query, referrer) is channel
