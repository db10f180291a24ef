"""Given hand-written requests, expect exact classification rows."""

from ingester.logs.fields import CANONICAL

DEFAULTS = {
    "date": "2024-05-01", "time": "10:00:00", "x-edge-location": "AMS58-P1", "sc-bytes": "2048",
    "c-ip": "203.0.113.10", "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net",
    "cs-uri-stem": "/", "sc-status": "200", "cs(Referer)": "-",
    "cs(User-Agent)": "Mozilla/5.0%20(Macintosh;%20Intel%20Mac%20OS%20X%2014_4)%20"
    "AppleWebKit/605.1.15%20(KHTML,%20like%20Gecko)%20Version/17.4%20Safari/605.1.15",
    "cs-uri-query": "-", "cs(Cookie)": "-", "x-edge-result-type": "Hit",
    "x-host-header": "www.example.com", "cs-protocol": "https", "cs-bytes": "400",
    "time-taken": "0.020", "x-forwarded-for": "-", "ssl-protocol": "TLSv1.3",
    "ssl-cipher": "TLS_AES_128_GCM_SHA256", "x-edge-response-result-type": "Hit",
    "cs-protocol-version": "HTTP/2.0", "fle-status": "-", "fle-encrypted-fields": "-",
    "c-port": "50000", "time-to-first-byte": "0.018", "x-edge-detailed-result-type": "Hit",
    "sc-content-type": "text/html", "sc-content-len": "1800", "sc-range-start": "-",
    "sc-range-end": "-",
}  # fmt: skip

REQUESTS = [
    {"cs-uri-stem": "/blog/post", "cs(Referer)": "https://www.google.co.uk/"},
    {"cs-uri-stem": "/static/app.css", "sc-content-type": "text/css",
     "cs(Referer)": "https://www.example.com/blog/post"},
    {"cs-uri-stem": "/img/logo.png", "sc-content-type": "-"},
    {"cs-uri-stem": "/pricing", "sc-status": "304", "sc-content-type": "-"},
    {"cs-uri-stem": "/about", "cs-method": "HEAD"},
    {"cs-uri-stem": "/api/order", "cs-method": "POST"},
    {"cs-uri-stem": "/missing", "sc-status": "404"},
    {"cs-uri-stem": "/gone", "sc-status": "000", "x-edge-result-type": "Error", "sc-bytes": "0"},
    {"cs-uri-stem": "/landing",
     "cs-uri-query": "gclid=abc123&utm_source=google&utm_medium=cpc&utm_campaign=spring%2520sale"},
    {"cs-uri-stem": "/news", "cs-uri-query": "fbclid=IwAR0x&ref=1",
     "cs(Referer)": "https://l.facebook.com/"},
    {"cs-uri-stem": "/digest", "cs-uri-query": "utm_source=newsletter&utm_medium=email"},
    {"cs-uri-stem": "/from-blog", "cs(Referer)": "https://someblog.example.net/a/b?token=secret"},
    {"cs-uri-stem": "/robots.txt", "cs(User-Agent)": "curl/8.5.0", "sc-content-type": "text/plain"},
    {"cs-uri-stem": "/health", "sc-content-type": "text/plain",
     "cs(User-Agent)": "Amazon-Route53-Health-Check-Service%20(ref%201a2b3c4d;%20report%20"
     "http://amzn.to/1vsZADi)"},
    {"cs-uri-stem": "/v6", "c-ip": "2001:db8:0:0::1"},
    {"cs-uri-stem": "/caf%C3%A9", "time-taken": "1.5", "time-to-first-byte": "-"},
]  # fmt: skip

CLASSIFIED = """
    select p.path, o.status, r.is_pageview, r.is_bot, c.name, q.query,
           g.source, g.medium, g.campaign, ref.domain, ref.path, u.bot_name, r.time_taken_ms,
           r.ttfb_ms
    from requests r
    join paths p on p.id = r.path_id
    join channels c on c.id = r.channel_id
    join responses o on o.id = r.response_id
    left join query_strings q on q.id = r.query_id
    left join campaigns g on g.id = r.campaign_id
    left join referrers ref on ref.id = r.referrer_id
    left join user_agents u on u.id = r.user_agent_id
    order by r.ts, p.path
"""

EXPECTED = [
    ("/about", 200, True, False, "Direct", None, None, None, None, None, None, None, 20, 18),
    ("/api/order", 200, False, False, "Direct", None, None, None, None, None, None, None, 20, 18),
    ("/blog/post", 200, True, False, "Organic Search", None, None, None, None,
     "google.co.uk", "/", None, 20, 18),
    ("/café", 200, True, False, "Direct", None, None, None, None, None, None, None, 1500, None),
    ("/digest", 200, True, False, "Email", "utm_source=newsletter&utm_medium=email",
     "newsletter", "email", None, None, None, None, 20, 18),
    ("/from-blog", 200, True, False, "Referral", None, None, None, None,
     "someblog.example.net", "/a/b", None, 20, 18),
    ("/gone", 0, False, False, "Direct", None, None, None, None, None, None, None, 20, 18),
    ("/health", 200, False, True, "Direct", None, None, None, None, None, None,
     "Route 53 health check", 20, 18),
    ("/img/logo.png", 200, False, False, "Direct", None, None, None, None, None, None, None, 20,
     18),
    ("/landing", 200, True, False, "Paid Search",
     "utm_source=google&utm_medium=cpc&utm_campaign=spring%20sale", "google", "cpc",
     "spring sale", None, None, None, 20, 18),
    ("/missing", 404, False, False, "Direct", None, None, None, None, None, None, None, 20, 18),
    ("/news", 200, True, False, "Social", "ref=1", None, None, None, "l.facebook.com", "/", None,
     20, 18),
    ("/pricing", 304, True, False, "Direct", None, None, None, None, None, None, None, 20, 18),
    ("/robots.txt", 200, False, True, "Direct", None, None, None, None, None, None, "curl", 20,
     18),
    ("/static/app.css", 200, False, False, "Internal", None, None, None, None, "example.com",
     "/blog/post", None, 20, 18),
    ("/v6", 200, True, False, "Direct", None, None, None, None, None, None, None, 20, 18),
]  # fmt: skip


def write_requests(path, requests) -> None:
    lines = []
    for n, overrides in enumerate(requests):
        values = {**DEFAULTS, "x-edge-request-id": f"id{n:052d}==", **overrides}
        lines.append("\t".join(values[name] for name in CANONICAL[:33]))
    header = "#Version: 1.0\n#Fields: " + " ".join(CANONICAL[:33]) + "\n"
    path.write_text(header + "\n".join(lines) + "\n")


def test_requests_are_classified_as_page_views_bots_and_channels(tmp_path, ingest_logs, fetch):
    write_requests(tmp_path / "E1.2024-05-01-10.abcd1234", REQUESTS)
    summary = ingest_logs(tmp_path)
    assert (summary.lines_loaded, summary.lines_rejected) == (len(REQUESTS), 0)
    assert fetch(CLASSIFIED) == EXPECTED


def test_the_same_ip_and_browser_is_one_visitor_per_site(tmp_path, ingest_logs, fetch):
    write_requests(
        tmp_path / "a.log",
        [
            {"cs-uri-stem": "/1"},
            {"cs-uri-stem": "/2", "time": "10:05:00"},
            {"cs-uri-stem": "/3", "x-host-header": "shop.example.com"},
            {"cs-uri-stem": "/4", "c-ip": "203.0.113.11"},
            {"cs-uri-stem": "/5", "c-ip": "::ffff:203.0.113.10"},
        ],
    )
    ingest_logs(tmp_path)
    rows = fetch("select p.path, r.visitor_id from requests r join paths p on p.id = r.path_id")
    visitor = dict(rows)
    assert visitor["/1"] == visitor["/2"] == visitor["/5"]
    assert len({visitor["/1"], visitor["/3"], visitor["/4"]}) == 3


def test_edge_locations_are_placed_at_their_airport(tmp_path, ingest_logs, fetch):
    edges = [{"x-edge-location": "IAD89-C1"}, {"x-edge-location": "XX1"}]
    write_requests(tmp_path / "a.log", edges)
    ingest_logs(tmp_path)
    rows = fetch("select code, airport, country_code from edge_locations order by code")
    assert rows == [("IAD89-C1", "IAD", "US"), ("XX1", None, None)]
