"""Each metric view, given a few hand-written requests: refresh, then the exact rows.

The morning of 2024-05-01 on www.example.com (no GeoIP database, so no country):
- Alice (Firefox on Linux) comes from Google at 10:00 (/, then /app.css, then /pricing at
  10:10, a cache miss): visit A1, two page views, 600 s. She is back at 11:00 by typing the
  address (/pricing): visit A2, a bounce.
- Bob (iPhone) follows a newsletter link at 10:30 (/ with utm tags): visit B1, a bounce. At 10:40
  he follows a broken link from a blog to /missing (404, not a page view).
- Googlebot fetches / at 10:15: a request, never a visitor.
Alice is visitor number 1 and Bob number 2 (numbers follow the first page view).
"""

from datetime import UTC, date, datetime

import pytest
from logfiles import GOOGLEBOT, IPHONE, request, write_requests

from ingester.metrics.refresh import refresh

ALICE = {"ip": "198.51.100.1"}
BOB = {"ip": "198.51.100.2", "agent": IPHONE}
SITE = "www.example.com"
DAY = date(2024, 5, 1)
NEWSLETTER = "utm_source=newsletter&utm_medium=email&utm_campaign=may"
# The visitor numbers in a bitmap chunk.
MEMBERS = (
    "array(select chunk * 1024 + i from generate_series(0, 1023) i where get_bit(visitors, i) = 1)"
)


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"2024-05-01 {clock}").replace(tzinfo=UTC)


@pytest.fixture
def morning(tmp_path, ingest_logs, migrated_db):
    write_requests(tmp_path / "morning.gz", [
        request("2024-05-01 10:00:00", "/", referrer="https://www.google.com/", **ALICE),
        request("2024-05-01 10:00:01", "/app.css", referrer="https://www.example.com/",
                content_type="text/css", **ALICE),
        request("2024-05-01 10:10:00", "/pricing", referrer="https://www.example.com/",
                result="Miss", **ALICE),
        request("2024-05-01 11:00:00", "/pricing", **ALICE),
        request("2024-05-01 10:30:00", "/", query=NEWSLETTER, **BOB),
        request("2024-05-01 10:40:00", "/missing", status=404, result="Error",
                referrer="https://blog.example.org/post", **BOB),
        request("2024-05-01 10:15:00", "/", ip="198.51.100.3", agent=GOOGLEBOT),
    ])  # fmt: skip
    ingest_logs(tmp_path)
    refresh(migrated_db)


def test_traffic_hourly_counts_page_views_when_they_happen_and_visits_when_they_begin(
    morning, fetch
):
    assert fetch(
        "select * from traffic_hourly order by hour, device_type <> '*', device_type, channel"
    ) == [
        (SITE, at("10:00"), "*", "*", "*", 3, 2, 1, 600.0),  # everyone: the sums
        # A1: two page views, 600 s; B1: a bounce; A2: a bounce
        (SITE, at("10:00"), "desktop", "", "Organic Search", 2, 1, 0, 600.0),
        (SITE, at("10:00"), "mobile", "", "Email", 1, 1, 1, 0.0),
        (SITE, at("11:00"), "*", "*", "*", 1, 1, 1, 0.0),
        (SITE, at("11:00"), "desktop", "", "Direct", 1, 1, 1, 0.0),
    ]


def test_traffic_daily_sums_the_hours_of_each_utc_day(morning, fetch):
    rows = fetch("select * from traffic_daily order by device_type <> '*', device_type, channel")
    assert rows == [
        (SITE, DAY, "*", "*", "*", 4, 3, 2, 600.0),
        (SITE, DAY, "desktop", "", "Direct", 1, 1, 1, 0.0),
        (SITE, DAY, "desktop", "", "Organic Search", 2, 1, 0, 600.0),
        (SITE, DAY, "mobile", "", "Email", 1, 1, 1, 0.0),
    ]


def test_requests_hourly_counts_every_request_with_bots_and_cache_results(morning, fetch):
    rows = fetch(
        "select * from requests_hourly order by hour, device_type <> '*', device_type, is_bot"
    )
    assert rows == [
        (SITE, at("10:00"), "*", "*", False, 5, 25000, 3, 4, 15000, 20000),  # everyone but bots
        (SITE, at("10:00"), "*", "*", True, 1, 5000, 1, 1, 5000, 5000),  # bots
        # Googlebot's request: a hit
        (SITE, at("10:00"), "bot", "", True, 1, 5000, 1, 1, 5000, 5000),
        # Alice's /, /app.css (hits) and /pricing (a miss)
        (SITE, at("10:00"), "desktop", "", False, 3, 15000, 2, 3, 10000, 15000),
        # Bob's / (a hit) and /missing (an Error: not a cache lookup)
        (SITE, at("10:00"), "mobile", "", False, 2, 10000, 1, 1, 5000, 5000),
        (SITE, at("11:00"), "*", "*", False, 1, 5000, 1, 1, 5000, 5000),
        (SITE, at("11:00"), "desktop", "", False, 1, 5000, 1, 1, 5000, 5000),
    ]


def test_requests_daily_sums_the_hours_of_each_utc_day(morning, fetch):
    rows = fetch("select * from requests_daily order by device_type <> '*', device_type, is_bot")
    assert rows == [
        (SITE, DAY, "*", "*", False, 6, 30000, 4, 5, 20000, 25000),
        (SITE, DAY, "*", "*", True, 1, 5000, 1, 1, 5000, 5000),
        (SITE, DAY, "bot", "", True, 1, 5000, 1, 1, 5000, 5000),
        (SITE, DAY, "desktop", "", False, 4, 20000, 3, 4, 15000, 20000),
        (SITE, DAY, "mobile", "", False, 2, 10000, 1, 1, 5000, 5000),
    ]


def test_visitors_hourly_holds_who_viewed_a_page_in_each_hour(morning, fetch):
    rows = fetch(
        f"select site, hour, channel, chunk, {MEMBERS} from visitors_hourly"
        " order by hour, channel <> '*', channel"
    )
    assert rows == [
        (SITE, at("10:00"), "*", 0, [1, 2]),  # Alice and Bob
        (SITE, at("10:00"), "Email", 0, [2]),  # Bob, in B1
        (SITE, at("10:00"), "Organic Search", 0, [1]),  # Alice, in A1
        (SITE, at("11:00"), "*", 0, [1]),
        (SITE, at("11:00"), "Direct", 0, [1]),  # Alice again, in A2
    ]


def test_visitors_daily_unions_the_hours_of_each_utc_day(morning, fetch):
    rows = fetch(
        f"select site, day, channel, chunk, {MEMBERS} from visitors_daily"
        " order by channel <> '*', channel"
    )
    assert rows == [
        (SITE, DAY, "*", 0, [1, 2]),
        (SITE, DAY, "Direct", 0, [1]),
        (SITE, DAY, "Email", 0, [2]),
        (SITE, DAY, "Organic Search", 0, [1]),
    ]


def test_pages_daily_has_page_views_entries_and_exits(morning, fetch):
    rows = fetch(
        "select site, day, path, device_type, country_code, channel, pageviews, entries, exits"
        " from pages_daily order by path, device_type <> '*', channel"
    )
    assert rows == [
        (SITE, DAY, "/", "*", "*", "*", 2, 2, 1),
        (SITE, DAY, "/", "mobile", "", "Email", 1, 1, 1),  # B1 begins and ends on /
        (SITE, DAY, "/", "desktop", "", "Organic Search", 1, 1, 0),  # A1 begins on /
        (SITE, DAY, "/pricing", "*", "*", "*", 2, 1, 2),
        (SITE, DAY, "/pricing", "desktop", "", "Direct", 1, 1, 1),  # A2
        (SITE, DAY, "/pricing", "desktop", "", "Organic Search", 1, 0, 1),  # A1 ends here
    ]


def test_page_visitors_daily_holds_who_viewed_each_page(morning, fetch):
    rows = fetch(
        f"select site, day, path, channel, chunk, {MEMBERS} from page_visitors_daily"
        " order by path, channel <> '*', channel"
    )
    assert rows == [
        (SITE, DAY, "/", "*", 0, [1, 2]),
        (SITE, DAY, "/", "Email", 0, [2]),
        (SITE, DAY, "/", "Organic Search", 0, [1]),
        (SITE, DAY, "/pricing", "*", 0, [1]),  # Alice, in two visits
        (SITE, DAY, "/pricing", "Direct", 0, [1]),
        (SITE, DAY, "/pricing", "Organic Search", 0, [1]),
    ]


def test_not_found_daily_keeps_the_referrer_of_each_404(morning, fetch):
    rows = fetch(
        "select site, day, path, referrer_domain, referrer, is_bot, requests from not_found_daily"
    )
    assert rows == [(SITE, DAY, "/missing", "blog.example.org", "blog.example.org/post", False, 1)]


def test_sources_daily_attributes_each_visit_to_its_first_page_view(morning, fetch):
    rows = fetch(
        "select device_type, channel, referrer_domain, referrer, utm_source, utm_medium,"
        " utm_campaign, utm_content, utm_term, visits, bounces, duration_s, pageviews"
        " from sources_daily where device_type <> '*' order by channel"
    )
    assert rows == [
        ("desktop", "Direct", "", "", "", "", "", "", "", 1, 1, 0.0, 1),  # A2
        ("mobile", "Email", "", "", "newsletter", "email", "may", "", "", 1, 1, 0.0, 1),  # B1
        ("desktop", "Organic Search", "google.com", "google.com/", "", "", "", "", "", 1, 0,
         600.0, 2),  # A1
    ]  # fmt: skip


def test_source_visitors_daily_holds_the_visitors_of_each_source(morning, fetch):
    rows = fetch(f"select kind, value, {MEMBERS} from source_visitors_daily order by kind, value")
    assert rows == [
        ("channel", "Direct", [1]),  # A2
        ("channel", "Email", [2]),  # B1
        ("channel", "Organic Search", [1]),  # A1
        ("referrer", "google.com/", [1]),
        ("referrer_domain", "google.com", [1]),
        ("utm_campaign", "may", [2]),
        ("utm_medium", "email", [2]),
        ("utm_source", "newsletter", [2]),
    ]


def test_audience_visitors_daily_has_browsers_and_systems_with_versions(morning, fetch):
    rows = fetch(f"select kind, value, {MEMBERS} from audience_visitors_daily order by kind, value")
    assert rows == [
        ("browser", "Firefox", [1]),
        ("browser", "Mobile Safari", [2]),
        ("browser_version", "Firefox 125.0", [1]),
        ("browser_version", "Mobile Safari 17.4", [2]),
        ("city", "0", [1, 2]),  # no GeoIP database: the unknown location
        ("country", "", [1, 2]),
        ("device", "desktop", [1]),
        ("device", "mobile", [2]),
        ("os", "Linux", [1]),
        ("os", "iOS", [2]),
        ("os_version", "Linux", [1]),
        ("os_version", "iOS 17.4", [2]),
        ("region", "", [1, 2]),
    ]


def test_visitor_sets_filter_by_device_and_channel_through_intersections(morning, fetch):
    mobile_from_email = fetch(
        "with emailed as (select chunk, visitors from visitors_daily where channel = 'Email'),"
        " mobile as (select chunk, visitors from audience_visitors_daily"
        "            where kind = 'device' and value = 'mobile')"
        " select sum(bit_count(emailed.visitors & mobile.visitors))"
        " from emailed join mobile using (chunk)"
    )
    assert mobile_from_email == [(1,)]  # Bob
    desktop_on_pricing = fetch(
        "with viewed as (select chunk, visitors from page_visitors_daily"
        "                where path = '/pricing' and channel = '*'),"
        " desktop as (select chunk, visitors from audience_visitors_daily"
        "             where kind = 'device' and value = 'desktop')"
        " select sum(bit_count(viewed.visitors & desktop.visitors))"
        " from viewed join desktop using (chunk)"
    )
    assert desktop_on_pricing == [(1,)]  # Alice
