import pytest

from ingester.logs import decode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-", None),
        ("", None),
        ("/index.html", "/index.html"),
        ("/caf%C3%A9", "/café"),
        ("/a%2520b", "/a%20b"),  # %25xx in a path is real data: decoded once only
        ("q=%25", "q=%"),
        ("/bad%ZZ", "/bad%ZZ"),
        ("/%FF", "/\ufffd"),
        ("/nul%00", "/nul\ufffd"),
        ("+http://www.google.com/bot.html", "+http://www.google.com/bot.html"),
    ],
)
def test_values_are_decoded_exactly_once(raw, expected):
    assert decode.value(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mozilla/5.0%20(X11;%20Linux)", "Mozilla/5.0 (X11; Linux)"),
        ("Mozilla/5.0%2520(X11;%2520Linux)", "Mozilla/5.0 (X11; Linux)"),
        ("IE%25207%2520-%2520Mozilla/4.0", "IE 7 - Mozilla/4.0"),
        ("curl/7.35.0", "curl/7.35.0"),
        ("-", None),
    ],
)
def test_user_agents_with_the_old_double_encoding_are_decoded_twice(raw, expected):
    assert decode.user_agent(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("::FFFF:C000:0207", "192.0.2.7"),
        ("not-an-ip", None),
        ("-", None),
    ],
)
def test_ip_addresses_are_normalised(raw, expected):
    assert decode.ip(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-", []),
        ("unknown", []),
        ("1.2.3.4,5.6.7.8", ["1.2.3.4", "5.6.7.8"]),
        ("1.2.3.4, 5.6.7.8, 9.10.11.12", ["1.2.3.4", "5.6.7.8", "9.10.11.12"]),
        ("1.2.3.4:8080", ["1.2.3.4"]),
        ("[2001:db8::1]:443, unknown", ["2001:db8::1"]),
        ("24.62.90.247,\\x2010.89.113.224, 10.89.112.141",
         ["24.62.90.247", "10.89.113.224", "10.89.112.141"]),
        ("1.2.3.4,%205.6.7.8", ["1.2.3.4", "5.6.7.8"]),
    ],
)  # fmt: skip
def test_x_forwarded_for_in_every_shape_seen_in_real_logs(raw, expected):
    assert decode.forwarded_for(raw) == expected
