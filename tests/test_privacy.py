"""A raw client IP is never stored and never logged."""

import logging

import pytest
from logfiles import request, write_requests

from ingester.load.redact import redact_ips
from ingester.logs import decode
from ingester.logs.parser import parse_lines
from ingester.logs.reader import text_lines

TEXT_COLUMNS = """
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
"""


@pytest.fixture
def everything_ingested(samples, tmp_path, ingest_logs):
    """All real samples plus IPv6 and x-forwarded-for lines, with forwarded-for trusted."""
    (tmp_path / "v6.log").write_text(
        "2024-05-01\t10:00:00\tFRA2\t100\t2001:db8:85a3::8a2e:370:7334\tGET\td1.cloudfront.net"
        "\t/x\t200\t-\tcurl/8.0\t-\t-\tHit\tv6request==\twww.example.com\thttps\t10\t0.001"
        "\t198.51.100.77,%20203.0.113.9:4321\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\n"
    )
    summary = ingest_logs(samples, tmp_path, trust_forwarded_for="true")
    assert summary.failed == 0
    return tmp_path


def client_addresses(*roots) -> set[str]:
    """Every c-ip and x-forwarded-for address in the input, as written and normalised."""
    found = set()
    for root in roots:
        for path in sorted(p for p in root.iterdir() if p.name != "SOURCES.md"):
            with path.open("rb") as stream:
                for *_, fields, _reason in parse_lines(text_lines(stream)):
                    if fields:
                        found.update({fields[4], decode.ip(fields[4]) or fields[4]})
                        found.update(decode.forwarded_for(fields[19]))
    return found - {"-", ""}


def test_no_column_of_any_table_holds_a_client_address(everything_ingested, samples, fetch):
    columns = fetch(TEXT_COLUMNS)
    assert not [c for c in columns if c[2] in ("inet", "cidr")]
    addresses = client_addresses(samples, everything_ingested)
    assert {"2001:db8:85a3::8a2e:370:7334", "203.0.113.9", "70.46.123.145"} <= addresses
    found = []
    for table, column, _type in columns:
        values = fetch(f'select "{column}"::text from "{table}" where "{column}" is not null')
        found += [(table, column, a) for (v,) in values for a in addresses if a in v]
    assert found == []


def test_quarantined_lines_have_their_addresses_masked(everything_ingested, fetch):
    lines = [r[0] for r in fetch("select raw_line from quarantine")]
    assert any("<ip>" in line for line in lines)


def test_ingesting_logs_no_address_even_at_debug_level(samples, ingest_logs, caplog):
    caplog.set_level(logging.DEBUG)
    ingest_logs(samples / "asaaki_tests_rs_AWS_DOCS_EXAMPLE_xff.log")
    ingest_logs(samples / "snowplow_spark-enrich_cf_lines_invalid_corrupted.log")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "192.0.2.100" not in text and "74.125.17.210" not in text
    assert redact_ips(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a 192.0.2.1 b", "a <ip> b"),
        ("1.2.3.4:8080", "<ip>:8080"),
        ("[2001:db8::1]:443", "[<ip>]:443"),
        ("::ffff:10.0.0.1", "<ip>"),
        ("24.62.90.247,\\x2010.89.113.224", "<ip>,\\x<ip>"),
        ("Chrome/78.0.3904.108 at 21:02:31", "Chrome/78.0.3904.108 at 21:02:31"),
    ],
)
def test_addresses_in_every_shape_are_masked(text, expected):
    assert redact_ips(text) == expected


# A CloudFront signed URL's and an S3 presigned URL's parameters, and a few tokens.
SIGNED_QUERY = (
    "v=1&X-Amz-Signature=3ccb3f0c9d&X-Amz-Credential=AKIAEXAMPLE%2F20240501%2Fus-east-1"
    "&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE&Expires=1714561200&Signature=Zm9vYmFy"
    "&Policy=eyJTdGF0ZW1lbnQiOiJ4In0&Key-Pair-Id=K2JCJMDEHXQW5F&token=t0k3n&monkey=banana"
)
SECRET_VALUES = [
    "3ccb3f0c9d", "AKIAEXAMPLE", "FwoGZXIvYXdzEXAMPLE", "1714561200", "Zm9vYmFy",
    "eyJTdGF0ZW1lbnQiOiJ4In0", "K2JCJMDEHXQW5F", "t0k3n", "m4tr1x", "r3f3rr3r", "s1gn",
]  # fmt: skip


def stored_text(fetch) -> list[str]:
    """Every text value of every table."""
    values = []
    for table, column, _type in fetch(TEXT_COLUMNS):
        values += [v for (v,) in fetch(f'select "{column}"::text from "{table}"') if v]
    return values


def test_signing_and_secret_parameters_lose_their_values_before_anything_is_stored(
    tmp_path, ingest_logs, fetch
):
    write_requests(
        tmp_path / "a.gz",
        [
            request(
                "2024-05-01 10:00:00",
                "/dl;token=m4tr1x/report.pdf",
                query=SIGNED_QUERY,
                referrer="https://example.org/page;session=r3f3rr3r?sig=s1gn",
            ),
            request("2024-05-01 10:00:01", query=SIGNED_QUERY, status=9999),  # quarantined
        ],
    )
    summary = ingest_logs(tmp_path)
    assert (summary.lines_loaded, summary.lines_rejected) == (1, 1)
    assert fetch("select query from query_strings") == [
        (
            "v=1&X-Amz-Signature=<redacted>&X-Amz-Credential=<redacted>"
            "&X-Amz-Security-Token=<redacted>&Expires=<redacted>&Signature=<redacted>"
            "&Policy=<redacted>&Key-Pair-Id=<redacted>&token=<redacted>&monkey=banana",
        )
    ]
    assert ("/dl;token=<redacted>/report.pdf",) in fetch("select path from paths")
    assert fetch("select path from referrers") == [("/page;session=<redacted>",)]
    leaked = [(s, v) for v in stored_text(fetch) for s in SECRET_VALUES if s in v]
    assert leaked == []


def test_the_parameters_to_redact_are_configurable(tmp_path, ingest_logs, fetch):
    write_requests(tmp_path / "a.gz", [request("2024-05-01 10:00:00", query="a=1&Monkey=b")])
    ingest_logs(tmp_path, redact_params="monkey")
    assert fetch("select query from query_strings") == [("a=1&Monkey=<redacted>",)]


def test_quarantined_lines_keep_no_cookie(tmp_path, ingest_logs, fetch):
    cookie = "session-id=c00k1e;%20theme=d4rk"
    read = request("2024-05-01 10:00:00", "/read", status=9999).split("\t")
    read[12] = cookie
    unreadable = read[:20]  # 20 fields where the header declares 33: positions unknown
    write_requests(tmp_path / "a.gz", ["\t".join(read), "\t".join(unreadable)])
    assert ingest_logs(tmp_path).lines_rejected == 2
    kept = [raw for (raw,) in fetch("select raw_line from quarantine order by line_number")]
    assert [s for s in ("c00k1e", "d4rk") for raw in kept if s in raw] == []
    assert "/read" in kept[0] and "<cookie>" in kept[0]


def test_addresses_inside_user_agents_are_masked(tmp_path, ingest_logs, fetch):
    agent = "Mozilla/5.0 (compatible; SomeProxy/1.0; +for 203.0.113.7 via 2001:db8::7)"
    write_requests(tmp_path / "a.gz", [request("2024-05-01 10:00:00", agent=agent)])
    ingest_logs(tmp_path)
    assert fetch("select user_agent from user_agents") == [
        ("Mozilla/5.0 (compatible; SomeProxy/1.0; +for <ip> via <ip>)",)
    ]


def _visitors(tmp_path, ingest_logs, fetch, hops: dict[str, tuple[str, str]], **settings):
    """Each request's visitor id; `hops` names (c-ip, x-forwarded-for) by request path."""
    lines = []
    for n, (path, (client, forwarded)) in enumerate(hops.items()):
        fields = request(f"2024-05-01 10:00:0{n}", path, ip=client).split("\t")
        fields[19] = forwarded.replace(" ", "%20")
        lines.append("\t".join(fields))
    write_requests(tmp_path / "a.gz", lines)
    ingest_logs(tmp_path, trust_forwarded_for="true", salt="fixed", **settings)
    return dict(fetch("select p.path, r.visitor_id from requests r join paths p on p.id = path_id"))


# Public addresses: x-forwarded-for is read for them (its private hops mean nothing here).
PROXY, CLIENT, VICTIM, SPOOFER = "203.0.113.10", "81.2.69.142", "89.160.20.112", "89.160.20.128"


def test_forwarded_for_yields_the_rightmost_address_that_is_not_a_trusted_proxy(
    tmp_path, ingest_logs, fetch
):
    visitors = _visitors(
        tmp_path,
        ingest_logs,
        fetch,
        {
            "/direct": (CLIENT, "-"),
            "/via-proxy": (PROXY, CLIENT),
            "/spoofed-through-proxy": (PROXY, f"{VICTIM}, {CLIENT}"),
            "/two-proxies": (PROXY, f"{VICTIM}, {CLIENT}, 203.0.113.77"),
            "/spoofed-past-the-proxy": (SPOOFER, CLIENT),
            "/victim": (VICTIM, "-"),
        },
        trusted_proxies="203.0.113.0/24",
    )
    same = {path for path, visitor in visitors.items() if visitor == visitors["/direct"]}
    assert same == {"/direct", "/via-proxy", "/spoofed-through-proxy", "/two-proxies"}
    assert visitors["/victim"] not in {visitors[p] for p in same}


def test_without_trusted_proxies_the_rightmost_forwarded_address_is_the_visitor(
    tmp_path, ingest_logs, fetch
):
    visitors = _visitors(
        tmp_path,
        ingest_logs,
        fetch,
        {"/direct": (CLIENT, "-"), "/spoofed-through-proxy": (PROXY, f"{VICTIM}, {CLIENT}")},
    )
    assert visitors["/direct"] == visitors["/spoofed-through-proxy"]
