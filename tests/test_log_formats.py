import gzip
import io
import json
import random

import pytest
from isal.igzip_lib import IsalError

from ingester.logs.fields import CANONICAL, INDEX
from ingester.logs.parser import REALTIME_REASON, RTMP_REASON, parse_lines
from ingester.logs.reader import text_lines

LINE_33 = (
    "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html"
    "\t200\t-\tMozilla/5.0%20(Windows%20NT%2010.0)\t-\t-\tHit"
    "\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\twww.example.com\thttps\t23"
    "\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit"
    "\ttext/html\t78\t-\t-"
)
VALUES_33 = LINE_33.split("\t")


def parsed(text: str, delimiter: str = "\t"):
    return list(parse_lines(text.splitlines(), delimiter))


def field(fields: list[str], name: str) -> str:
    return fields[INDEX[name]]


@pytest.mark.parametrize("width", [12, 15, 18, 19, 23, 24, 26, 33])
def test_a_headerless_line_of_every_historic_width_reads_as_that_prefix(width):
    ((_number, _raw, fields, reason),) = parsed("\t".join(VALUES_33[:width]))
    assert reason is None
    assert fields[:width] == VALUES_33[:width]
    assert fields[width:33] == ["-"] * (33 - width)


@pytest.mark.parametrize("width", [12, 15, 18, 19, 23, 24, 26, 33])
def test_a_header_of_every_historic_width_decides_the_fields(width):
    text = "#Version: 1.0\n#Fields: " + " ".join(CANONICAL[:width]) + "\n"
    text += "\t".join(VALUES_33[:width])
    ((number, _, fields, reason),) = parsed(text)
    assert (number, reason) == (3, None)
    assert field(fields, "cs-uri-stem") == "/index.html"


def test_the_documented_extra_fields_are_read_when_the_header_has_them():
    names = [*CANONICAL[:33], "distribution-tenant-id", "connection-id"]
    text = "#Fields: " + " ".join(names) + "\n" + LINE_33 + "\ttenant-1\t42"
    ((_, _, fields, reason),) = parsed(text)
    assert reason is None
    assert (field(fields, "distribution-tenant-id"), field(fields, "connection-id")) == (
        "tenant-1",
        "42",
    )


def test_a_header_in_another_order_maps_each_value_by_name():
    names = ["cs-uri-stem", "date", "sc-status", "time", "c-ip", "cs-method"]
    text = "#Fields: " + " ".join(names) + "\n/a\t2024-05-01\t404\t10:00:00\t192.0.2.1\tGET"
    ((_, _, fields, reason),) = parsed(text)
    assert reason is None
    assert (field(fields, "date"), field(fields, "cs-uri-stem"), field(fields, "sc-status")) == (
        "2024-05-01",
        "/a",
        "404",
    )
    assert field(fields, "cs(User-Agent)") == "-"


def test_header_names_may_be_tab_separated_and_carry_zero_width_spaces():
    text = "#Version:\t1.0\n#Fields:\tdate\ttime\u200b\t" + "\t".join(CANONICAL[2:33]) + "\n"
    ((_, _, fields, reason),) = parsed(text + LINE_33)
    assert reason is None and field(fields, "time") == "21:02:31"


def test_a_trailing_tab_is_an_empty_extra_field_not_an_error():
    ((_, _, fields, reason),) = parsed(LINE_33 + "\t")
    assert reason is None
    assert fields[:33] == VALUES_33


def test_a_line_wider_or_narrower_than_its_header_is_rejected_with_the_counts():
    text = "#Fields: " + " ".join(CANONICAL[:33]) + "\n" + "\t".join(VALUES_33[:20])
    ((_, _, fields, reason),) = parsed(text)
    assert fields is None
    assert reason == "20 fields where the #Fields header declares 33"


def test_a_truncated_headerless_line_is_rejected():
    ((_, _, fields, reason),) = parsed("\t".join(VALUES_33[:7]))
    assert fields is None
    assert reason.startswith("7 fields: a CloudFront log line has at least 12")


def test_tabs_turned_into_spaces_are_recovered_when_unambiguous():
    ((_, _, fields, reason),) = parsed("   ".join(VALUES_33[:19]))
    assert reason is None and field(fields, "time-taken") == "0.001"


def test_standard_logging_v2_json_records_map_by_field_name():
    record = {name: VALUES_33[i] for i, name in enumerate(CANONICAL[:33])}
    record["sc-bytes"] = 392  # numbers may come as JSON numbers
    record["x-forwarded-for"] = None
    record["DistributionId"] = "E2KG6TMBAL2PBU"
    ((_, _, fields, reason),) = parsed(json.dumps(record))
    assert reason is None
    assert fields[:33] == [*VALUES_33[:19], "-", *VALUES_33[20:33]]


def test_a_json_record_with_only_a_unix_timestamp_gets_date_and_time():
    record = {"timestamp": "1718000000", "c-ip": "192.0.2.1", "cs-method": "GET"}
    ((_, _, fields, reason),) = parsed(json.dumps(record))
    assert reason is None
    assert (fields[0], fields[1]) == ("2024-06-10", "06:13:20")


def test_broken_json_is_rejected():
    ((_, _, fields, reason),) = parsed('{"date": "2024-01-01", ')
    assert fields is None and reason == "not valid JSON"


def test_v2_w3c_output_with_a_configured_delimiter():
    text = "#Version: 1.0\n#Fields: " + " ".join(CANONICAL[:33]) + "\n" + LINE_33.replace("\t", "|")
    ((_, _, fields, reason),) = parsed(text, delimiter="|")
    assert reason is None and fields[:33] == VALUES_33


def test_v2_plain_output_without_header_uses_the_configured_delimiter():
    ((_, _, fields, reason),) = parsed(LINE_33.replace("\t", ","), delimiter=",")
    assert reason is None and fields[:33] == VALUES_33


def test_rtmp_lines_are_recognised_and_rejected_with_a_reason():
    text = (
        "#Version: 1.0\n#Fields: date time x-edge-location c-ip x-event sc-bytes x-cf-status "
        "x-cf-client-id cs-uri-stem cs-uri-query c-referrer x-page-url c-user-agent x-sname "
        "x-sname-query x-file-ext x-sid\n2010-03-12\t23:51:20\tSEA4\t192.0.2.147\tconnect\t2014"
    )
    assert [(r[2], r[3]) for r in parsed(text)] == [(None, RTMP_REASON)]


def test_real_time_records_read_with_a_header_and_split_their_query():
    text = (
        "#Fields: timestamp c-ip sc-status cs-method cs-uri-stem cs-user-agent x-edge-request-id\n"
        "1607374321.541\t192.0.2.1\t200\tGET\t/i?a=1&b=2\tcurl/8.0\tabc=="
    )
    ((_, _, fields, reason),) = parsed(text)
    assert reason is None
    assert (fields[0], fields[1]) == ("2020-12-07", "20:52:01")
    assert (field(fields, "cs-uri-stem"), field(fields, "cs-uri-query")) == ("/i", "a=1&b=2")
    assert field(fields, "cs(User-Agent)") == "curl/8.0"


def test_real_time_records_without_a_header_are_rejected_not_guessed():
    ((_, _, fields, reason),) = parsed("1607374321.541\t192.0.2.1\t0.042\t200")
    assert fields is None and reason == REALTIME_REASON


def test_gzip_and_plain_input_read_alike_and_stream_line_by_line():
    text = "#Version: 1.0\n" + "\n".join([LINE_33] * 3) + "\n"
    plain = list(text_lines(io.BytesIO(text.encode())))
    zipped = list(text_lines(io.BytesIO(gzip.compress(text.encode()))))
    assert plain == zipped == ["#Version: 1.0", LINE_33, LINE_33, LINE_33]


def test_crlf_line_endings_are_removed_but_a_trailing_tab_is_kept():
    lines = list(text_lines(io.BytesIO(b"a\tb\t\r\nc\n")))
    assert lines == ["a\tb\t", "c"]


def test_non_utf8_bytes_are_replaced_not_fatal():
    (line,) = text_lines(io.BytesIO(b"/caf\xe9\n"))
    assert line == "/caf\ufffd"


@pytest.mark.parametrize("cut", [30, 200])
def test_a_truncated_gzip_raises_where_the_damage_starts(cut):
    data = gzip.compress(("\n".join([LINE_33] * 50)).encode())[:cut]
    with pytest.raises((EOFError, IsalError)):
        list(text_lines(io.BytesIO(data)))


def test_a_large_gzip_streams_through_the_read_ahead_thread():
    noise = random.Random(7)  # incompressible enough to exceed one block
    lines = [f"{LINE_33}\t{noise.getrandbits(192):048x}" for _ in range(60_000)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    assert len(data) > 1 << 20
    assert list(text_lines(io.BytesIO(data))) == lines


def test_a_large_plain_file_streams_alike():
    lines = [f"{LINE_33}\t{n}" for n in range(8_000)]
    assert list(text_lines(io.BytesIO(("\n".join(lines)).encode()))) == lines


def test_concatenated_gzip_members_read_as_one_file():
    data = gzip.compress(b"a\nb\n") + gzip.compress(b"c\n")
    assert list(text_lines(io.BytesIO(data))) == ["a", "b", "c"]
