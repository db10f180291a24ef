"""Every real CloudFront file in tests/data/cloudfront-samples, ingested on its own.

Each file gets a fresh database, so the counts are the file's own (several
samples share request ids copied from AWS's documentation).
"""

from datetime import UTC, datetime

import pytest

REQUEST = """
    select r.ts, s.host, p.path, c.status, u.user_agent, u.is_bot, u.bot_name, e.code, e.airport,
           c.result_type, c.response_result_type, r.time_taken_ms, r.bytes_sent, q.query
    from requests r
    join sites s on s.id = r.site_id
    join paths p on p.id = r.path_id
    join responses c on c.id = r.response_id
    join edge_locations e on e.code = c.edge_location
    left join user_agents u on u.id = r.user_agent_id
    left join query_strings q on q.id = r.query_id
    order by r.ts, r.request_key
"""
CHROME_78 = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.108 Safari/537.36"
)
BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# file: (lines read, rows stored, duplicates, {quarantine reason: count})
EXPECTED = {
    "adamvr_dissector_comment_2015_19f.log": (1, 1, 0, {}),
    "asaaki_tests_rs_AWS_DOCS_EXAMPLE_xff.log": (6, 6, 0, {}),
    "awssamples_sample-cloudfront-access-logs.gz": (66, 66, 0, {}),
    "claygregory_kinesis-1-0.txt": (1, 1, 0, {}),
    "claygregory_rtmp-1-0.txt": (
        6, 0, 0,
        {"RTMP streaming distribution log (discontinued in 2020): not an HTTP request": 6},
    ),
    "claygregory_web-1-0-2019-12.txt": (3, 3, 0, {}),
    "claygregory_web-1-0.txt": (2, 2, 0, {}),
    "clo-opensearch_log-processor_cloudfront.log": (2, 2, 0, {}),
    # Synthetic: floats where CloudFront writes integers.
    "clo-opensearch_microbatch_cloudfront.log.gz": (
        2, 0, 0, {"sc-content-len is not a whole number in range": 2},
    ),
    "devworx_E2KG6TMBAL2PBU.2021-01-23-13.23aaa605.gz": (1, 1, 0, {}),
    "devworx_E2KG6TMBAL2PBU.2021-01-23-14.7d805aff.gz": (2, 2, 0, {}),
    "dpetzold_cloudfront-multiple.log.gz": (6, 6, 0, {}),
    "dpetzold_cloudfront_entry_broken_cookie.csv": (1, 1, 0, {}),
    "dpetzold_cloudfront_entry_cookie_with_encoding.csv": (1, 1, 0, {}),
    "jsherz_file_2020-02_33f.gz": (2, 2, 0, {}),
    "logstash_aws_spec_line296_2016_23f.log": (1, 1, 0, {}),
    # 100 lines but only 81 distinct: without request ids, the line is the key.
    "rkalla_example-100_2011_12f.gz": (100, 81, 19, {}),
    "snowplow_spark-enrich_cf_lines_2012-2013_space_mangled.log": (11, 10, 1, {}),
    "snowplow_spark-enrich_cf_lines_2013-2014_tab.log": (3, 3, 0, {}),
    "snowplow_spark-enrich_cf_lines_invalid_corrupted.log": (
        3, 0, 0,
        {
            "date is not a YYYY-MM-DD date": 1,
            "2 fields: a CloudFront log line has at least 12 (truncated?)": 1,
            "7 fields: a CloudFront log line has at least 12 (truncated?)": 1,
        },
    ),
    "webreadr_log.aws": (2, 2, 0, {}),
    "webreadr_log_2015.aws": (2, 2, 0, {}),
}  # fmt: skip


def test_every_sample_file_is_covered(samples):
    files = {p.name for p in samples.iterdir() if p.name != "SOURCES.md"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_loads_its_requests_and_quarantines_its_bad_lines(name, samples, ingest_logs, fetch):
    read, stored, duplicate, reasons = EXPECTED[name]
    summary = ingest_logs(samples / name)
    assert (summary.loaded, summary.failed) == (1, 0)
    assert (summary.lines_read, summary.lines_loaded, summary.lines_duplicate) == (
        read,
        stored,
        duplicate,
    )
    assert fetch("select count(*) from requests") == [(stored,)]
    quarantined = fetch("select reason, count(*) from quarantine group by reason")
    assert dict(quarantined) == reasons


def first_request(samples, ingest_logs, fetch, name):
    ingest_logs(samples / name)
    return fetch(REQUEST)


def test_a_2015_19_field_line_keeps_its_fields(samples, ingest_logs, fetch):
    (row,) = first_request(samples, ingest_logs, fetch, "adamvr_dissector_comment_2015_19f.log")
    assert row[:4] == (
        ts("2015-01-28 18:41:47"),
        "e3lkfdfzknjs2t.cloudfront.net",
        "/buto/europe/videos/Ft5xk/1/BFSdb/BFSdb_thumbnail_large_50.jpg",
        200,
    )
    assert row[4:9] == ("curl/7.35.0", True, "curl", "LHR5", "LHR")
    assert (row[9], row[11], row[12]) == ("Hit", 1, 4082)


def test_the_aws_sample_double_encoded_agents_and_lambda_responses(samples, ingest_logs, fetch):
    rows = first_request(samples, ingest_logs, fetch, "awssamples_sample-cloudfront-access-logs.gz")
    agents = {r[4] for r in rows}
    assert BINGBOT in agents
    assert not any("%" in a for a in agents)
    assert {r[9] for r in rows} >= {"LambdaGeneratedResponse", "Hit"}
    first, last = rows[0][0], rows[-1][0]
    assert first.date() == last.date() == ts("2018-11-07 00:00:00").date()


def test_the_2011_12_field_format_has_no_request_id_and_dedups_on_the_line(
    samples, ingest_logs, fetch
):
    rows = first_request(samples, ingest_logs, fetch, "rkalla_example-100_2011_12f.gz")
    assert rows[0][:4] == (
        ts("2011-04-27 22:55:23"),
        "d27kvxk3pw3dk1.cloudfront.net",
        "/yQAPXEomw-T.png",
        200,
    )
    assert rows[0][9] is None  # no x-edge-result-type in 2011
    assert len(rows) == 81


def test_the_host_header_wins_over_the_cloudfront_host(samples, ingest_logs, fetch):
    (row,) = first_request(
        samples, ingest_logs, fetch, "devworx_E2KG6TMBAL2PBU.2021-01-23-13.23aaa605.gz"
    )
    assert row[1] == "www.devworx.co.uk"
    assert (row[4], row[5], row[6]) == (GOOGLEBOT, True, "Googlebot")


def test_an_escaped_fragment_query_is_kept(samples, ingest_logs, fetch):
    rows = first_request(
        samples, ingest_logs, fetch, "devworx_E2KG6TMBAL2PBU.2021-01-23-14.7d805aff.gz"
    )
    assert [r[13] for r in rows] == ["_escaped_fragment_=", None]


def test_a_trailing_tab_and_a_double_encoded_agent_in_the_2019_doc_sample(
    samples, ingest_logs, fetch
):
    rows = first_request(samples, ingest_logs, fetch, "claygregory_web-1-0-2019-12.txt")
    assert {r[4] for r in rows} == {CHROME_78}
    assert {r[5] for r in rows} == {False}


def test_the_real_time_record_reads_through_its_header(samples, ingest_logs, fetch):
    (row,) = first_request(samples, ingest_logs, fetch, "claygregory_kinesis-1-0.txt")
    assert row[0] == datetime(2020, 12, 7, 20, 52, 1, tzinfo=UTC)
    assert row[2] == "/i"
    assert row[13].startswith("stm=1607374321563&e=pp&url=http%3A%2F%2Flocalhost%3A5000%2Fpage-2")


def test_a_200_with_an_error_result_is_kept_as_logged(samples, ingest_logs, fetch):
    rows = first_request(samples, ingest_logs, fetch, "clo-opensearch_log-processor_cloudfront.log")
    assert {(r[3], r[9]) for r in rows} == {(200, "Error")}


def test_a_miss_answered_by_a_refresh_hit_keeps_both_result_types(samples, ingest_logs, fetch):
    (row,) = first_request(samples, ingest_logs, fetch, "logstash_aws_spec_line296_2016_23f.log")
    assert (row[9], row[10]) == ("Miss", "RefreshHit")
    assert row[1] == "host.example.com"


def test_a_redirect_from_2016(samples, ingest_logs, fetch):
    rows = first_request(samples, ingest_logs, fetch, "webreadr_log.aws")
    assert (rows[0][3], rows[0][9]) == (301, "Redirect")


def test_space_mangled_lines_are_recovered_with_their_fields(samples, ingest_logs, fetch):
    name = "snowplow_spark-enrich_cf_lines_2012-2013_space_mangled.log"
    rows = first_request(samples, ingest_logs, fetch, name)
    assert {r[2] for r in rows} == {"/i", "/ice.png"}
    assert all(r[3] == 200 for r in rows)


def test_quarantined_lines_keep_their_text_without_addresses(samples, ingest_logs, fetch):
    ingest_logs(samples / "snowplow_spark-enrich_cf_lines_invalid_corrupted.log")
    lines = dict(fetch("select line_number, raw_line from quarantine"))
    assert lines[1].startswith("20yy-05-24  00:08:40  LHR5  3397  <ip> GET")
    assert "74.125.17.210" not in lines[1]
    assert lines[3] == "NOT VALID"
