"""What Grafana does to a PostgreSQL panel's SQL before sending it (see grafana_expansion)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from grafana_expansion import ALL, expand, expand_macros, interpolate_variables, interval_for

FROM = datetime(2026, 11, 24, tzinfo=UTC)
TO = datetime(2026, 12, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
BETWEEN = "BETWEEN '2026-11-24T00:00:00Z' AND '2026-12-01T00:00:00Z'"


def macros(sql: str, interval: timedelta = HOUR) -> str:
    return expand_macros(sql, FROM, TO, interval)


def site(**overrides) -> dict:
    """A multi-value variable with an All option, as the dashboard JSON saves it."""
    options = [("All", ALL), ("a", "a"), ("O'Brien", "o'b")]
    return {
        "name": "site",
        "type": "query",
        "multi": True,
        "includeAll": True,
        "allValue": None,
        "options": [{"text": text, "value": value, "selected": False} for text, value in options],
        "current": {"text": ["a"], "value": ["a"]},
    } | overrides


def variables(sql: str, selection=None, **overrides) -> str:
    selections = {} if selection is None else {"site": selection}
    return interpolate_variables(sql, [site(**overrides)], selections)


# --- macros ------------------------------------------------------------------------------------


def test_time_filter_is_between_two_rfc3339_utc_literals():
    assert macros("WHERE $__timeFilter(hour)") == f"WHERE hour {BETWEEN}"


def test_time_filter_shows_fractional_seconds_without_trailing_zeros_and_in_utc():
    start = datetime(2026, 11, 24, 1, 0, 0, 120_000, tzinfo=timezone(timedelta(hours=1)))
    assert (
        expand_macros("$__timeFrom() $__timeTo()", start, TO, HOUR)
        == "'2026-11-24T00:00:00.12Z' '2026-12-01T00:00:00Z'"
    )


def test_time_and_time_epoch_alias_the_column_as_time():
    assert macros("$__time(hour), $__timeEpoch(hour)") == (
        'hour AS "time", extract(epoch from hour) as "time"'
    )


def test_unix_epoch_macros_use_whole_seconds_or_nanoseconds():
    assert macros("$__unixEpochFilter(t)") == "t >= 1795478400 AND t <= 1796083200"
    assert macros("$__unixEpochFrom()-$__unixEpochTo()") == "1795478400-1796083200"
    assert macros("$__unixEpochNanoFilter(t)") == (
        "t >= 1795478400000000000 AND t <= 1796083200000000000"
    )
    assert macros("$__unixEpochNanoFrom() $__unixEpochNanoTo()") == (
        "1795478400000000000 1796083200000000000"
    )


def test_interval_and_interval_ms_come_from_the_panel_interval():
    assert macros("$__interval $__interval_ms", timedelta(minutes=5)) == "5m 300000"


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(minutes=90), "1h"),
        (timedelta(days=400), "1y"),
        (timedelta(milliseconds=500), "500ms"),
        (timedelta(microseconds=500), "1ms"),
    ],
)
def test_interval_text_is_the_largest_whole_unit(interval, text):
    assert macros("$__interval", interval) == text


def test_time_group_alias_with_the_interval_of_one_hour():
    assert macros("SELECT $__timeGroupAlias(hour, $__interval)") == (
        'SELECT floor(extract(epoch from hour)/3600)*3600 AS "time"'
    )


def test_time_group_accepts_quoted_intervals_and_a_fill_value_that_leaves_the_sql_alone():
    expected = "floor(extract(epoch from hour)/300)*300"
    assert macros("$__timeGroup(hour, '5m')") == expected
    for fill in ("0", "NULL", "previous", "-1.5e3"):
        assert macros(f"$__timeGroup(hour, 5m, {fill})") == expected


def test_time_group_prints_seconds_like_go_so_big_intervals_use_exponents():
    assert macros("$__timeGroup(t, 7d)") == "floor(extract(epoch from t)/604800)*604800"
    assert macros("$__timeGroup(t, 30d)") == "floor(extract(epoch from t)/2.592e+06)*2.592e+06"
    assert macros("$__timeGroup(t, 500ms)") == "floor(extract(epoch from t)/0.5)*0.5"


def test_time_group_followed_by_a_comma_gets_the_alias_and_so_does_every_copy_of_it():
    # Grafana looks up the first occurrence of the same text, so the GROUP BY copy is aliased too.
    assert macros("SELECT $__timeGroup(hour, 1h), count(*) GROUP BY $__timeGroup(hour, 1h)") == (
        'SELECT floor(extract(epoch from hour)/3600)*3600 AS "time", count(*) '
        'GROUP BY floor(extract(epoch from hour)/3600)*3600 AS "time"'
    )
    assert macros("ORDER BY $__timeGroup(hour, 1h))") == (
        "ORDER BY floor(extract(epoch from hour)/3600)*3600)"
    )


def test_unix_epoch_group_divides_the_column_itself():
    assert macros("$__unixEpochGroupAlias(epoch_s, 1d)") == (
        'floor((epoch_s)/86400)*86400 AS "time"'
    )


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        ("$__timeFilterx(hour)", 'unknown macro "__timeFilterx"'),
        ("$site(x)", 'unknown macro "site"'),
        ("$__unixEpochFrom( )", 'unknown macro "__unixEpochFrom"'),
        ("$__timeGroupAlias(hour)", "macro __timeGroup needs time column and interval"),
        ("$__timeGroup(hour, 1x)", "error parsing interval 1x"),
        ("$__timeGroup(hour, '1d12h')", "error parsing interval '1d12h'"),
        ("$__timeGroup(hour, 1h, zero)", "error parsing fill value zero"),
    ],
)
def test_bad_macros_raise_grafanas_error(sql, error):
    with pytest.raises(ValueError, match=f"^{error}"):
        macros(f"SELECT {sql} FROM t WHERE $__timeFilter(hour)")


def test_a_closing_parenthesis_inside_the_argument_ends_the_macro_early():
    assert macros("WHERE $__timeFilter(date_trunc('hour', ts))") == (
        f"WHERE date_trunc('hour' {BETWEEN})"
    )


def test_an_empty_argument_is_not_an_error_but_an_empty_column():
    assert macros("$__timeFilter()") == f" {BETWEEN}"


def test_text_without_parentheses_is_not_a_macro():
    assert macros("SELECT '$__timeFilter' , $__range") == "SELECT '$__timeFilter' , $__range"


# --- variables ---------------------------------------------------------------------------------


def test_multi_value_selection_is_quoted_value_by_value_and_comma_joined():
    assert variables("site IN ($site)", ["a", "o'b"]) == "site IN ('a','o''b')"


def test_single_value_variable_gets_its_quotes_doubled_but_no_quotes_around():
    sql = variables("site = '$site'", ["o'b"], multi=False, includeAll=False)
    assert sql == "site = 'o''b'"


def test_sqlstring_format_quotes_each_value_and_backslashes_double_quotes():
    assert variables("${site:sqlstring}", ["a", "o'b"]) == "'a','o''b'"
    assert variables("${site:sqlstring}", ['say "hi"']) == "'say \\\"hi\\\"'"


def test_all_without_all_value_expands_to_every_option_but_all_itself():
    assert variables("site IN ($site)", ALL) == "site IN ('a','o''b')"
    assert variables("${site:csv}", ALL) == "a,o'b"


def test_custom_all_value_is_inserted_raw_whatever_the_format():
    for sql in ("$site", "${site}", "[[site]]", "${site:sqlstring}", "${site:csv}"):
        assert variables(sql, ALL, allValue="'__all'") == "'__all'"
    assert variables("${site:text}", ALL, allValue="'__all'") == "All"


def test_custom_all_value_is_interpolated_again_with_the_glob_format():
    other = {"name": "kind", "type": "custom", "current": {"value": ["x", "y"]}, "multi": True}
    sql = interpolate_variables("$site", [site(allValue="any($kind)"), other], {"site": ALL})
    assert sql == "any({x,y})"


def test_an_empty_multi_selection_expands_to_nothing():
    assert variables("site IN ($site)", []) == "site IN ()"
    assert variables("${site:sqlstring}", []) == ""
    assert variables("${site:glob}|${site:csv}|${site:singlequote}", []) == "||"


def test_the_saved_current_value_is_used_when_nothing_is_selected():
    assert variables("IN ($site)") == "IN ('a')"
    assert variables("$site", current={"value": "$__all"}) == "'a','o''b'"


def test_every_syntax_names_the_same_variable():
    sql = "$site ${site} [[site]] ${site:csv} [[site:csv]] ${site.1}"
    assert variables(sql, ["a", "b"]) == "'a','b' 'a','b' 'a','b' a,b a,b b"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("raw", "a,o'b"),
        ("pipe", "a|o'b"),
        ("join: or ", "a or o'b"),
        ("glob", "{a,o'b}"),
        ("singlequote", "'a','o\\'b'"),
        ("doublequote", '"a","o\'b"'),
        ("text", "a + O'Brien"),
        ("nonsense", "{a,o'b}"),
    ],
)
def test_formats(fmt, expected):
    assert variables(f"${{site:{fmt}}}", ["a", "o'b"]) == expected


def test_formats_we_do_not_model_raise():
    with pytest.raises(ValueError, match="format 'regex' is not supported"):
        variables("${site:regex}", ["a"])


def test_unknown_and_longer_names_are_left_as_is():
    sql = "$nope ${nope} [[nope]] $site_id $__timeFilter(hour) $__from"
    assert variables(sql, ["a"]) == sql


def test_constant_variables_use_their_query():
    constant = {"name": "schema", "type": "constant", "query": "edgelog", "current": {}}
    assert interpolate_variables("FROM $schema.hits", [constant], {}) == "FROM edgelog.hits"


def test_all_on_a_variable_without_an_all_option_raises():
    with pytest.raises(ValueError, match="has no All option"):
        variables("$site", ALL, includeAll=False)


# --- both steps --------------------------------------------------------------------------------


def test_expand_interpolates_variables_before_macros():
    bucket = {"name": "bucket", "type": "custom", "current": {"value": "1d"}}
    sql = "SELECT $__timeGroupAlias(hour, $bucket) WHERE $__timeFilter(hour) AND site IN ($site)"
    assert expand(
        sql,
        variables=[bucket, site()],
        selections={"site": ["a"]},
        time_from=FROM,
        time_to=TO,
        interval=HOUR,
    ) == (
        'SELECT floor(extract(epoch from hour)/86400)*86400 AS "time" '
        f"WHERE hour {BETWEEN} AND site IN ('a')"
    )


def test_expand_knows_from_to_and_the_braced_interval():
    sql = "$__from ${__to} ${__from:date:iso} ${__to:date:seconds} ${__interval} ${__interval_ms}"
    assert expand(sql, variables=[], selections={}, time_from=FROM, time_to=TO, interval=HOUR) == (
        "1795478400000 1796083200000 2026-11-24T00:00:00.000Z 1796083200 1h 3600000"
    )


# --- the auto interval -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "minimum", "expected"),
    [
        (168, None, HOUR),  # exactly one hour per point
        (1000, None, timedelta(minutes=10)),  # 604.8s rounds down to 10m
        (200, None, HOUR),  # 50.4 minutes is under 1.5h
        (10, None, timedelta(hours=12)),  # 16.8h: anything from 9h up to 1d becomes 12h
        (5, None, timedelta(days=1)),  # 33.6h
        (1, None, timedelta(weeks=1)),
        (100_000_000, None, timedelta(milliseconds=1)),
        (1000, "1m", timedelta(minutes=10)),
        (1000, "1d", timedelta(days=1)),
        (1000, "1.5h", HOUR),  # parseInt keeps the 1
        (1000, "900", timedelta(minutes=15)),  # bare numbers are seconds
    ],
)
def test_interval_for_rounds_like_grafana_and_respects_the_minimum(points, minimum, expected):
    assert interval_for(FROM, TO, points, minimum) == expected


def test_interval_for_rejects_a_minimum_without_a_unit_grafana_knows():
    with pytest.raises(ValueError, match="Invalid interval string"):
        interval_for(FROM, TO, 100, "soon")
