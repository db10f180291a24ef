"""The CDN, error and bot views, given a few hand-written requests: refresh, then the exact rows.

The morning of 2024-05-01 on www.example.com:
- 10:00 /  Hit at FRA56-P3, 12 ms (ttfb 10 ms), 5000 bytes
- 10:05 /video.mp4  Miss at FRA56-P3, 800 ms (ttfb 40 ms), 206 range, 2,000,000 bytes
- 10:10 /video.mp4  status 200 with result Error at FRA56-P3 (the viewer left mid-download)
- 10:20 /api  502 Error at IAD89-C1 (OriginConnectError), 3000 ms, from a blog
- 11:00 /  000 at IAD89-C1 (the viewer hung up), 0 bytes
- 11:30 /  Googlebot, Hit at IAD89-C1; 11:31 /robots.txt GPTBot, Miss at IAD89-C1
"""

from datetime import UTC, date, datetime

import pytest
from logfiles import GOOGLEBOT, request, write_requests

from ingester.enrich import bots
from ingester.metrics import latency
from ingester.metrics.refresh import refresh

SITE = "www.example.com"
DAY = date(2024, 5, 1)
GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2;"
    " +https://openai.com/gptbot)"
)
BLOG = "https://blog.example.org/post"


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"2024-05-01 {clock}").replace(tzinfo=UTC)


@pytest.fixture
def morning(tmp_path, ingest_logs, migrated_db):
    write_requests(tmp_path / "morning.gz", [
        request("2024-05-01 10:00:00", "/"),
        request("2024-05-01 10:05:00", "/video.mp4", result="Miss", status=206,
                bytes_sent=2_000_000, content_type="video/mp4", time_taken="0.800", ttfb="0.040"),
        request("2024-05-01 10:10:00", "/video.mp4", result="Error", bytes_sent=700_000,
                content_type="video/mp4", time_taken="5.000", ttfb="0.050"),
        request("2024-05-01 10:20:00", "/api", status=502, result="Error", bytes_sent=900,
                edge="IAD89-C1", referrer=BLOG, time_taken="3.000", ttfb="3.000",
                detailed="OriginConnectError"),
        request("2024-05-01 11:00:00", "/", status="000", result="Error", bytes_sent=0,
                edge="IAD89-C1", ip="198.51.100.9"),
        request("2024-05-01 11:30:00", "/", agent=GOOGLEBOT, ip="66.249.66.1", edge="IAD89-C1"),
        request("2024-05-01 11:31:00", "/robots.txt", agent=GPTBOT, ip="20.15.240.1",
                result="Miss", content_type="text/plain", bytes_sent=100, edge="IAD89-C1"),
    ])  # fmt: skip
    ingest_logs(tmp_path)
    refresh(migrated_db)


def test_results_hourly_counts_requests_and_bytes_by_status_and_result_types(morning, fetch):
    rows = fetch(
        "select hour, status, status_class, result_type, response_result_type,"
        " detailed_result_type, is_incomplete, is_range, is_bot, requests, bytes"
        " from results_hourly order by hour, status, result_type, is_bot"
    )
    assert rows == [
        (at("10:00"), 200, "2xx", "Error", "Error", "Error", True, False, False, 1, 700_000),
        (at("10:00"), 200, "2xx", "Hit", "Hit", "Hit", False, False, False, 1, 5000),
        (at("10:00"), 206, "2xx", "Miss", "Miss", "Miss", False, True, False, 1, 2_000_000),
        (at("10:00"), 502, "5xx", "Error", "Error", "OriginConnectError", False, False, False,
         1, 900),
        (at("11:00"), 0, "000", "Error", "Error", "Error", False, False, False, 1, 0),
        (at("11:00"), 200, "2xx", "Hit", "Hit", "Hit", False, False, True, 1, 5000),
        (at("11:00"), 200, "2xx", "Miss", "Miss", "Miss", False, False, True, 1, 100),
    ]  # fmt: skip
    daily = fetch(
        "select day, status_class, sum(requests), sum(bytes) from results_daily"
        " group by 1, 2 order by 2"
    )
    assert daily == [
        (DAY, "000", 1, 0), (DAY, "2xx", 5, 2_710_100), (DAY, "5xx", 1, 900),
    ]  # fmt: skip


def test_protocols_daily_counts_content_types_methods_protocols_and_tls(morning, fetch):
    assert fetch(
        "select day, content_type, method, protocol, http_version, tls_protocol, tls_cipher,"
        " is_bot, requests, bytes from protocols_daily order by content_type, is_bot"
    ) == [
        (DAY, "text/html", "GET", "https", "HTTP/2.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
         False, 3, 5900),
        (DAY, "text/html", "GET", "https", "HTTP/2.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
         True, 1, 5000),
        (DAY, "text/plain", "GET", "https", "HTTP/2.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
         True, 1, 100),
        (DAY, "video/mp4", "GET", "https", "HTTP/2.0", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
         False, 2, 2_700_000),
    ]  # fmt: skip


def test_edges_carry_place_cache_results_and_latency_histograms(morning, fetch):
    rows = fetch(
        "select hour, edge_location, airport, country_code, is_bot, requests, bytes, cache_hits,"
        " cache_lookups, cache_hit_bytes, cache_lookup_bytes, time_taken_buckets,"
        " time_taken_counts, ttfb_buckets, ttfb_counts from edges_hourly"
        " order by hour, edge_location, is_bot"
    )
    b = latency.bucket
    assert rows == [
        (at("10:00"), "FRA56-P3", "FRA", "DE", False, 3, 2_705_000, 1, 2, 5000, 2_005_000,
         [b(12), b(800), b(5000)], [1, 1, 1], [b(10), b(40), b(50)], [1, 1, 1]),
        (at("10:00"), "IAD89-C1", "IAD", "US", False, 1, 900, 0, 0, 0, 0,
         [b(3000)], [1], [b(3000)], [1]),
        (at("11:00"), "IAD89-C1", "IAD", "US", False, 1, 0, 0, 0, 0, 0,
         [b(12)], [1], [b(10)], [1]),
        (at("11:00"), "IAD89-C1", "IAD", "US", True, 2, 5100, 1, 2, 5000, 5100,
         [b(12)], [2], [b(10)], [2]),
    ]  # fmt: skip
    errors = fetch(
        "select edge_location, sum(status_4xx), sum(status_5xx), sum(status_000) from edges_daily"
        " group by 1 order by 1"
    )
    assert errors == [("FRA56-P3", 0, 0, 0), ("IAD89-C1", 0, 1, 1)]
    # The day merges the hours bucket by bucket.
    daily = fetch(
        "select edge_location, requests, time_taken_buckets, time_taken_counts from edges_daily"
        " where not is_bot order by 1"
    )
    assert daily == [
        ("FRA56-P3", 3, [b(12), b(800), b(5000)], [1, 1, 1]),
        ("IAD89-C1", 2, [b(12), b(3000)], [1, 1]),
    ]  # fmt: skip


def test_latency_quantile_reads_percentiles_of_merged_rows_within_one_percent(morning, fetch):
    # Every request of the day: 12, 12, 12, 12, 800, 3000, 5000 ms
    (p50, p95, p99), = fetch(
        "select latency_quantile(array_agg(bucket), array_agg(n), 0.5),"
        " latency_quantile(array_agg(bucket), array_agg(n), 0.95),"
        " latency_quantile(array_agg(bucket), array_agg(n), 0.99)"
        " from edges_hourly, unnest(time_taken_buckets, time_taken_counts) as h(bucket, n)"
    )  # fmt: skip
    assert abs(p50 - 12) <= 12 * latency.RELATIVE_ERROR
    assert abs(p95 - 5000) <= 5000 * latency.RELATIVE_ERROR
    assert abs(p99 - 5000) <= 5000 * latency.RELATIVE_ERROR
    assert p50 == pytest.approx(latency.value(latency.bucket(12)))


def test_latency_hourly_and_daily_keep_percentiles_and_histograms_of_every_request(morning, fetch):
    b, v = latency.bucket, latency.value
    rows = fetch(
        "select hour, requests, time_taken_p50_ms, time_taken_p95_ms, time_taken_p99_ms,"
        " ttfb_p50_ms, ttfb_p95_ms, ttfb_p99_ms, time_taken_buckets, time_taken_counts"
        " from latency_hourly order by hour"
    )
    assert rows == [
        # 12, 800, 5000, 3000 ms; ttfb 10, 40, 50, 3000
        (at("10:00"), 4, v(b(800)), v(b(5000)), v(b(5000)), v(b(40)), v(b(3000)), v(b(3000)),
         [b(12), b(800), b(3000), b(5000)], [1, 1, 1, 1]),
        # 12 ms three times; ttfb 10
        (at("11:00"), 3, v(b(12)), v(b(12)), v(b(12)), v(b(10)), v(b(10)), v(b(10)),
         [b(12)], [3]),
    ]  # fmt: skip
    assert fetch(
        "select day, requests, time_taken_p50_ms, time_taken_p95_ms, ttfb_p50_ms,"
        " time_taken_buckets, time_taken_counts from latency_daily"
    ) == [
        (DAY, 7, v(b(12)), v(b(5000)), v(b(10)), [b(12), b(800), b(3000), b(5000)],
         [4, 1, 1, 1]),
    ]  # fmt: skip


def test_path_performance_daily_has_requests_cache_results_and_histograms_per_path(morning, fetch):
    rows = fetch(
        "select path, is_bot, requests, bytes, cache_hits, cache_lookups, time_taken_counts"
        " from path_performance_daily order by path, is_bot"
    )
    assert rows == [
        ("/", False, 2, 5000, 1, 1, [2]),  # both 12 ms: one bucket
        ("/", True, 1, 5000, 1, 1, [1]),
        ("/api", False, 1, 900, 0, 0, [1]),
        ("/robots.txt", True, 1, 100, 0, 1, [1]),
        ("/video.mp4", False, 2, 2_700_000, 0, 1, [1, 1]),
    ]
    slowest = fetch(
        "select path, latency_quantile(array_agg(bucket), array_agg(n), 0.95) as p95"
        " from path_performance_daily, unnest(time_taken_buckets, time_taken_counts) h(bucket, n)"
        " group by path order by p95 desc limit 1"
    )
    assert slowest[0][0] == "/video.mp4"
    assert abs(slowest[0][1] - 5000) <= 5000 * latency.RELATIVE_ERROR


def test_errors_daily_has_error_paths_per_status_with_their_referrers(morning, fetch):
    assert fetch(
        "select day, path, status, status_class, referrer_domain, referrer, is_bot, requests,"
        " bytes from errors_daily order by status"
    ) == [
        (DAY, "/", 0, "000", "", "", False, 1, 0),
        (DAY, "/api", 502, "5xx", "blog.example.org", "blog.example.org/post", False, 1, 900),
    ]  # fmt: skip


def test_bots_daily_names_and_categorizes_bots_with_their_clients(morning, fetch):
    assert fetch(
        "select day, bot_name, category, requests, bytes, clients_of_day, cardinality(clients)"
        " from bots_daily order by bot_name"
    ) == [
        (DAY, "GPTBot", "AI crawler", 1, 100, 1, 1),
        (DAY, "Googlebot", "search engine", 1, 5000, 1, 1),
    ]  # fmt: skip
    assert fetch("select bot_name, path, requests from bot_paths_daily order by 1") == [
        ("GPTBot", "/robots.txt", 1),
        ("Googlebot", "/", 1),
    ]


def test_bot_categories_are_a_kept_list_and_other_for_the_rest():
    assert bots.bot_category("Googlebot") == bots.SEARCH_ENGINE
    assert bots.bot_category("gptbot") == bots.AI_CRAWLER
    assert bots.bot_category("AhrefsBot") == bots.SEO_TOOL
    assert bots.bot_category("Route 53 health check") == bots.MONITOR
    assert bots.bot_category("sqlmap") == bots.SCANNER
    assert bots.bot_category("curl") == bots.HTTP_LIBRARY
    assert bots.bot_category("SomethingNew") == bots.OTHER
    assert bots.bot_category(None) == bots.OTHER
    assert set(bots.BOT_CATEGORIES.values()) <= set(bots.CATEGORIES)
