"""Turn a Grafana panel's SQL into the SQL Grafana sends to PostgreSQL, so tests can run it.

Grafana 13 (the version docker-compose pins) expands a query in two steps; we follow both.

1. The browser interpolates variables. Syntax, lookup and formats come from grafana/scenes
   packages/scenes/src/variables/constants.ts (VARIABLE_REGEX), interpolation/sceneInterpolator.ts,
   interpolation/formatRegistry.ts, variants/MultiValueVariable.ts (All, CustomAllValue) and
   macros/timeMacros.ts ($__from, $__to). Without a `:format`, the PostgreSQL datasource formats:
   grafana/grafana public/app/plugins/datasource/grafana-postgresql-datasource/datasource.ts
   `interpolateVariable`: a single value only gets its ' doubled (no quotes added, unlike the
   older generic packages/grafana-sql SqlDatasource.ts), a list is quoted value by value and
   comma-joined, so an empty list becomes "".
2. The backend replaces $__interval, $__interval_ms, $__unixEpochFrom() and $__unixEpochTo() as
   plain text (pkg/tsdb/grafana-postgresql-datasource/sqleng/sql_engine.go `Interpolate`), then
   every `$name(args)` is a macro (pkg/tsdb/grafana-postgresql-datasource/macros.go); intervals
   are parsed and printed by grafana-plugin-sdk-go backend/gtime/gtime.go.

interval_for follows packages/grafana-data/src/datetime/rangeutil.ts (calculateInterval,
roundInterval, describeInterval). SQL datasources default the minimum to "1m" (their
jsonData.timeInterval || '1m'), so pass "1m" when a panel sets no min interval.

Supported: $var, ${var}, ${var.N}, ${var:format[:arg]}, [[var]], [[var:format]]; formats raw,
csv, pipe, join, glob, sqlstring, singlequote, doublequote, text, date (ms, seconds, iso);
$__from, $__to, $__interval, $__interval_ms; all PostgreSQL macros except the TimescaleDB form
of $__timeGroup (our datasource sets timescaledb: false). The fill argument of $__timeGroup is
validated but only changes how Grafana post-processes rows, never the SQL.
Left as is: $__timezone, $__user, $__org (scenes macros we don't model) and $__range* (Grafana
defines those for Prometheus and Loki only). Raising ValueError: other Grafana formats,
date with a moment.js pattern, interval variables on "auto", $__timeGroup intervals in months
or years (Grafana measures those from today's date).
Datetimes are timezone-aware; they're shown in UTC as Grafana does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

ALL = "$__all"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS, _SECOND = 10**6, 10**9
_DAY = 86_400 * _SECOND

# ---------------------------------------------------------------------------------------------
# Step 1: variables, as the browser does

# $var | [[var:fmt]] | ${var.fieldPath:fmt}; \w is ASCII in JavaScript.
_VARIABLE = re.compile(
    r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}", re.ASCII
)
# Grafana formats we don't model; a name Grafana doesn't know falls back to glob instead.
_UNSUPPORTED_FORMATS = {"lucene", "regex", "distributed", "html", "json", "percentencode"}
_UNSUPPORTED_FORMATS |= {"uriencode", "queryparam", "customqueryparam"}


def interpolate_variables(sql: str, variables: list[dict], selections: dict) -> str:
    """Replace dashboard variables; $__from, $__to and $__interval are left for expand()."""
    return _interpolate(sql, {v["name"]: v for v in variables}, selections, {}, None)


def _interpolate(sql, by_name, selections, builtins, default_format):
    def replace(match: re.Match) -> str:
        name = match[1] or match[2] or match[4]
        fmt = match[3] or match[6] or default_format
        if name in by_name:  # dashboard variables shadow Grafana's own, as in scenes
            return _format_variable(by_name[name], fmt, match[5], by_name, selections, builtins)
        if name in builtins:
            if fmt == "text" and name in ("__from", "__to"):  # dashboard time zone taken as UTC
                return f"{_EPOCH + timedelta(milliseconds=builtins[name]):%Y-%m-%d %H:%M:%S}"
            return _apply_format(builtins[name], fmt)
        return match[0]  # unknown names stay, as in Grafana

    return _VARIABLE.sub(replace, sql)


def _format_variable(variable, fmt, field_path, by_name, selections, builtins):
    value = _value_of(variable, selections)
    if fmt == "text":
        return "All" if value == ALL else _text_of(variable, value)
    if value == ALL:
        if variable.get("allValue"):  # an empty allValue counts as none, as in Grafana
            if fmt in _UNSUPPORTED_FORMATS:
                raise ValueError(f"format {fmt!r} is not supported here")
            # CustomAllValue skips formatting; the raw text is interpolated again, with glob.
            return _interpolate(variable["allValue"], by_name, selections, builtins, "glob")
        value = [option["value"] for option in variable.get("options", [])]
        value = [v for v in value if v != ALL]
    if field_path is not None and isinstance(value, list) and field_path.isdigit():
        value = value[int(field_path)] if int(field_path) < len(value) else value
    return _apply_format(value, fmt)


def _value_of(variable: dict, selections: dict):
    """A string for single-value variables, a list for multi-value ones, or ALL."""
    if variable.get("type") == "constant":
        return variable.get("query", "")
    name, multi = variable["name"], variable.get("multi", False)
    default = [] if multi else ""
    chosen = selections.get(name, (variable.get("current") or {}).get("value", default))
    if chosen == ALL or (isinstance(chosen, list) and chosen[:1] == [ALL]):
        if not variable.get("includeAll"):
            raise ValueError(f"variable {name!r} has no All option")
        return ALL
    if chosen == "$__auto":
        raise ValueError(f"variable {name!r}: auto intervals are not supported here")
    if multi:  # Grafana's validation turns a saved single value into a one-element list
        return chosen if isinstance(chosen, list) else [chosen]
    if isinstance(chosen, list):
        if len(chosen) != 1:
            raise ValueError(f"variable {name!r} takes one value, got {chosen!r}")
        return chosen[0]
    return chosen


def _text_of(variable: dict, value) -> str:
    texts = {option.get("value"): option.get("text") for option in variable.get("options", [])}
    return " + ".join(str(texts.get(v) or v) for v in _each(value))


def _each(value) -> list:
    return value if isinstance(value, list) else [value]


def _js_string(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _quote_each(value, quote: str, escapes: dict[str, str]) -> str:
    escape = re.compile("|".join(map(re.escape, escapes)))
    quoted = (quote + escape.sub(lambda m: escapes[m[0]], str(v)) + quote for v in _each(value))
    return ",".join(quoted)


def _glob(value, args) -> str:
    if isinstance(value, list) and len(value) > 1:
        return "{" + ",".join(map(str, value)) + "}"
    return _js_string(value)


def _date(value, args) -> str:
    digits = re.match(r"\s*[-+]?\d+", str(value))
    if not digits:
        return "NaN"
    ms, style = int(digits[0]), args[0] if args else "iso"
    if style == "ms":
        return str(value)
    if style == "seconds":
        return str((ms + 500) // 1000)  # Math.round
    if style == "iso":
        return f"{_EPOCH + timedelta(milliseconds=ms):%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z"
    raise ValueError(f"date format {':'.join(args)!r} is not supported here")


_FORMATS = {
    "raw": lambda value, args: _js_string(value),
    "csv": lambda value, args: _js_string(value),
    "pipe": lambda value, args: "|".join(map(str, _each(value))),
    "join": lambda value, args: (args[0] if args else ",").join(map(str, _each(value))),
    "glob": _glob,
    "sqlstring": lambda value, args: _quote_each(value, "'", {"'": "''", '"': '\\"'}),
    "singlequote": lambda value, args: _quote_each(value, "'", {"'": "\\'"}),
    "doublequote": lambda value, args: _quote_each(value, '"', {'"': '\\"'}),
    "date": _date,
}


def _apply_format(value, fmt: str | None) -> str:
    if fmt is None:  # the PostgreSQL datasource's own formatter
        if isinstance(value, list):
            return ",".join("'" + str(v).replace("'", "''") + "'" for v in value)
        return str(value).replace("'", "''")
    name, *args = fmt.split(":")
    if name in _UNSUPPORTED_FORMATS:
        raise ValueError(f"format {name!r} is not supported here")
    return _FORMATS.get(name, _glob)(value, args)


# ---------------------------------------------------------------------------------------------
# Step 2: macros, as the backend does

# The argument stops at the first ")", so $__timeFilter(f(x)) takes "f(x" as its argument.
_MACRO = re.compile(r"\$([_a-zA-Z0-9]+)\(([^)]*)\)")
_GO_UNITS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": _MS, "s": _SECOND}
_GO_UNITS |= {"m": 60 * _SECOND, "h": 3600 * _SECOND}
_GO_DURATION = re.compile(r"(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+")
# strconv.ParseFloat's decimal forms (hexadecimal floats aside), for the fill value.
_GO_FLOAT = re.compile(
    r"[-+]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?|inf(?:inity)?)|nan", re.IGNORECASE
)


def expand_macros(sql: str, time_from: datetime, time_to: datetime, interval: timedelta) -> str:
    interval_ns = _ns(interval)
    # sqleng.Interpolate: plain text replacements, done before the macro regex runs.
    sql = sql.replace("$__interval_ms", str(interval_ns // _MS))
    sql = sql.replace("$__interval", _format_interval(interval_ns))
    sql = sql.replace("$__unixEpochFrom()", str(_unix(time_from)))
    sql = sql.replace("$__unixEpochTo()", str(_unix(time_to)))
    text, errors = sql, []

    def replace(match: re.Match) -> str:
        name, args = match[1], [arg.strip(" ") for arg in match[2].split(",")]
        end = text.find(match[0]) + len(match[0])
        if name == "__timeGroup" and text[end : end + 1] == ",":
            name = "__timeGroupAlias"  # pre-5.3 compatibility: "$__timeGroup(...), ..."
        try:
            return _macro(name, args, time_from, time_to)
        except ValueError as error:
            errors.append(error)
            return "macro_error()"

    sql = _MACRO.sub(replace, text)
    if errors:
        raise errors[0]  # Grafana reports the first failing macro
    return sql


def _macro(name: str, args: list[str], time_from: datetime, time_to: datetime) -> str:
    # Splitting "" gives [""], so Grafana's "missing time column" check never fires.
    column, start, end = args[0], _rfc3339(time_from), _rfc3339(time_to)
    simple = {
        "__time": f'{column} AS "time"',
        "__timeEpoch": f'extract(epoch from {column}) as "time"',
        "__timeFilter": f"{column} BETWEEN '{start}' AND '{end}'",
        "__timeFrom": f"'{start}'",
        "__timeTo": f"'{end}'",
        "__unixEpochFilter": f"{column} >= {_unix(time_from)} AND {column} <= {_unix(time_to)}",
        "__unixEpochNanoFilter": (
            f"{column} >= {_unix(time_from, 1)} AND {column} <= {_unix(time_to, 1)}"
        ),
        "__unixEpochNanoFrom": str(_unix(time_from, 1)),
        "__unixEpochNanoTo": str(_unix(time_to, 1)),
    }
    if name in simple:
        return simple[name]
    base = name.removesuffix("Alias")
    if base not in ("__timeGroup", "__unixEpochGroup"):
        raise ValueError(f'unknown macro "{name}"')
    if len(args) < 2:
        raise ValueError(f"macro {base} needs time column and interval and optional fill value")
    interval_ns = _parse_interval(args[1].strip("'"))
    if interval_ns is None:
        raise ValueError(f"error parsing interval {args[1]}")
    if len(args) == 3 and args[2] not in ("NULL", "previous") and not _GO_FLOAT.fullmatch(args[2]):
        raise ValueError(f"error parsing fill value {args[2]}")
    seconds = _go_float_text(interval_ns // _SECOND + interval_ns % _SECOND / 1e9)
    epoch = f"extract(epoch from {column})" if base == "__timeGroup" else f"({column})"
    group = f"floor({epoch}/{seconds})*{seconds}"
    return group + ' AS "time"' if name.endswith("Alias") else group


def _parse_interval(text: str) -> int | None:
    """gtime.ParseInterval in nanoseconds: Go durations, plus d, w, M and y."""
    if calendar := re.fullmatch(r"([0-9]+)([dwMy])", text):
        if calendar[2] in "My":  # Grafana counts these from the wall clock: 28 to 366 days
            raise ValueError(f"interval {text!r} depends on today's date; not supported here")
        return int(calendar[1]) * (7 if calendar[2] == "w" else 1) * _DAY  # UTC days are 24h
    sign, body = (-1, text[1:]) if text[:1] == "-" else (1, text.removeprefix("+"))
    if body == "0":
        return 0
    if not _GO_DURATION.fullmatch(body):
        return None
    parts = re.findall(r"([0-9.]+)([^0-9.]+)", body)
    return sign * int(sum(Decimal(number) * _GO_UNITS[unit] for number, unit in parts))


def _go_float_text(value: float) -> str:
    """Go's %v for a float64: shortest digits, exponent form from 1e+06 up and below 1e-04."""
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text, point = "".join(map(str, digits)), len(digits) + exponent
    if point - 1 < -4 or point - 1 >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        out = f"{mantissa}e{'-' if point < 1 else '+'}{abs(point - 1):02d}"
    elif point <= 0:
        out = "0." + "0" * -point + text
    else:
        out = text.ljust(point, "0") if point >= len(text) else f"{text[:point]}.{text[point:]}"
    return "-" + out if sign else out


def _format_interval(ns: int) -> str:
    """gtime.FormatInterval: the largest whole unit, days of 24h, years of 365 days."""
    units = (("y", 365 * _DAY), ("d", _DAY), ("h", 3600 * _SECOND), ("m", 60 * _SECOND))
    for unit, size in (*units, ("s", _SECOND), ("ms", _MS)):
        if ns >= size:
            return f"{ns // size}{unit}"
    return "1ms"


def _rfc3339(moment: datetime) -> str:
    """Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros, then Z."""
    utc = moment.astimezone(UTC)
    fraction = f".{utc.microsecond:06d}".rstrip("0").rstrip(".")
    return f"{utc:%Y-%m-%dT%H:%M:%S}{fraction}Z"


def _ns(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1) * 1000


def _unix(moment: datetime, unit: int = _SECOND) -> int:
    """Time since the epoch in whole units, rounded down like Go's Unix() and JS valueOf()."""
    return _ns(moment - _EPOCH) // unit


# ---------------------------------------------------------------------------------------------
# Both steps, and the interval the browser picks


def expand(sql, *, variables, selections, time_from, time_to, interval) -> str:
    """Variables first (as the frontend does), then macros (as the backend does)."""
    interval_ns = _ns(interval)
    # The browser's $__interval text (rangeutil.secondsToHms) equals gtime.FormatInterval's
    # from 1ms up; replacing it here also covers ${__interval}, which the backend misses.
    builtins = {"__from": _unix(time_from, _MS), "__to": _unix(time_to, _MS)}
    builtins |= {"__interval": _format_interval(interval_ns), "__interval_ms": interval_ns // _MS}
    by_name = {v["name"]: v for v in variables}
    sql = _interpolate(sql, by_name, selections, builtins, None)
    return expand_macros(sql, time_from, time_to, interval)


_ROUNDING = (  # rangeutil.roundInterval: (below this many ms, use this many ms)
    (10, 1), (15, 10), (35, 20), (75, 50), (150, 100), (350, 200), (750, 500), (1500, 1000),
    (3500, 2000), (7500, 5000), (12_500, 10_000), (17_500, 15_000), (25_000, 20_000),
    (45_000, 30_000), (90_000, 60_000), (210_000, 120_000), (450_000, 300_000),
    (750_000, 600_000), (1_050_000, 900_000), (1_500_000, 1_200_000), (2_700_000, 1_800_000),
    (5_400_000, 3_600_000), (9_000_000, 7_200_000), (16_200_000, 10_800_000),
    (32_400_000, 21_600_000), (86_400_000, 43_200_000), (604_800_000, 86_400_000),
    (1_814_400_000, 604_800_000), (3_628_800_000, 2_592_000_000),
)  # fmt: skip
_UNIT_SECONDS = {"y": 31_536_000, "M": 2_592_000, "w": 604_800, "d": 86_400, "h": 3600}
_UNIT_SECONDS |= {"m": 60, "s": 1, "ms": 0.001}


def interval_for(time_from, time_to, max_data_points: int, min_interval: str | None) -> timedelta:
    """rangeutil.calculateInterval: range / max data points, rounded, never below min_interval."""
    wanted = (_unix(time_to, _MS) - _unix(time_from, _MS)) / max_data_points
    interval_ms = next((ms for limit, ms in _ROUNDING if wanted < limit), 31_536_000_000)
    floor_ms = _interval_to_ms(min_interval) if min_interval else 1
    return timedelta(milliseconds=max(interval_ms, floor_ms))


def _interval_to_ms(text: str) -> float:
    """rangeutil.intervalToMs: bare numbers are seconds; "1.5h" counts as 1h (parseInt)."""
    if text.strip().isdigit() and int(text):
        return int(text) * 1000
    match = re.match(r"(-?\d+(?:\.\d+)?)(ms|[Mwdhmsy])", text)
    if not match:
        raise ValueError(
            "Invalid interval string, has to be either unit-less or end with one of the "
            'following units: "y, M, w, d, h, m, s, ms"'
        )
    return int(match[1].split(".")[0]) * _UNIT_SECONDS[match[2]] * 1000
