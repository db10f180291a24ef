"""Log lines to canonical field lists, whatever the CloudFront format.

A file's own `#Fields:` line decides the field order. Without one, the first
data line tells: `{` starts a standard logging v2 JSON record; otherwise the
line is a legacy (or v2 plain) line whose width names a historic prefix of the
canonical order. RTMP and headerless real-time lines are recognised and
rejected with a reason, never guessed at.

`parse_lines` yields `(line_number, raw_line, fields, reason)`: `fields` is a
list in CANONICAL order (at least 33 long, "-" where the format has no value)
or None, and then `reason` says why the line is rejected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ingester.logs.fields import (
    CANONICAL,
    HISTORIC_WIDTHS,
    INDEX,
    MIN_WIDTH,
    REQUIRED,
    RTMP_FIELDS,
    canonical_name,
)
from ingester.logs.realtime import realtime_fields, split_epoch

CORE = 33  # fields every canonical list carries; the extras are optional
Result = tuple[int, str, list[str] | None, str | None]

EPOCH = re.compile(r"\d{9,10}(\.\d+)?")
WHITESPACE = re.compile(r"[ \t]+")


class Layout:
    """How the data lines of one file map to canonical fields."""

    def __init__(self, names: list[str] | None, delimiter: str):
        self.names = names
        self.delimiter = delimiter
        self.width = len(names) if names else None
        # Positions of canonical fields in the line, when the order differs.
        self.positions = None
        if names and names != list(CANONICAL[: len(names)]):
            self.positions = [names.index(n) if n in names else None for n in CANONICAL]
        self.direct = self.positions is None and (self.width or 0) >= CORE

    def fields(self, line: str) -> tuple[list[str] | None, str | None]:
        values = line.split(self.delimiter)
        if len(values) == self.width and self.direct:
            return values, None  # today's 33-field lines: nothing to adjust
        if len(values) == 1 and self.delimiter == "\t":
            # TABs turned into runs of spaces somewhere on the way; values are
            # %-encoded, so a space is never data and the split is unambiguous.
            values = WHITESPACE.split(line.strip())
        width = len(values)
        expected = self.width
        if width == (expected or 0) + 1 and values[-1] == "":
            values.pop()  # a stray trailing TAB
            width -= 1
        if expected is None:
            if width not in HISTORIC_WIDTHS:
                return None, _width_reason(width)
        elif width != expected:
            return None, f"{width} fields where the #Fields header declares {expected}"
        if self.positions is not None:
            values = [values[p] if p is not None else "-" for p in self.positions]
        elif width < CORE:
            values.extend(["-"] * (CORE - width))
        return values, None


def _width_reason(width: int) -> str:
    if width < MIN_WIDTH:
        return f"{width} fields: a CloudFront log line has at least {MIN_WIDTH} (truncated?)"
    return f"{width} fields: no CloudFront log format has that many without a #Fields header"


def parse_lines(lines: Iterable[str], delimiter: str = "\t") -> Iterator[Result]:
    handler = None  # set once the file's kind is known
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():
            continue
        if line[0] == "#":
            directive = line[1:].split(":", 1)
            if directive[0].strip().lower() == "fields" and len(directive) == 2:
                handler = _handler_for_header(directive[1], delimiter)
            continue
        if handler is None:
            handler = _handler_for_first_line(line, delimiter)
        fields, reason = handler(line)
        yield number, line, fields, reason


@lru_cache(maxsize=64)  # every file of a distribution repeats the same header
def _handler_for_header(header: str, delimiter: str):
    names = [canonical_name(n) for n in header.split()]
    if RTMP_FIELDS & set(names):
        return _reject(RTMP_REASON)
    if "timestamp" in names and "date" not in names:
        return realtime_fields(names, delimiter)
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        return _reject(f"the #Fields header lacks {', '.join(missing)}")
    return Layout(names, delimiter).fields


def _handler_for_first_line(line: str, delimiter: str):
    if line.lstrip().startswith("{"):
        return json_fields
    if "\t" in line:
        delimiter = "\t"  # legacy files are TAB-separated whatever the v2 setting says
    first = line.split(delimiter, 1)[0]
    if EPOCH.fullmatch(first):
        return _reject(REALTIME_REASON)
    return Layout(None, delimiter).fields


RTMP_REASON = "RTMP streaming distribution log (discontinued in 2020): not an HTTP request"
REALTIME_REASON = (
    "real-time log record without a #Fields header: its field order is chosen per "
    "configuration, so it cannot be read safely"
)


def _reject(reason: str):
    def handler(line: str) -> tuple[None, str]:
        return None, reason

    return handler


def json_fields(line: str) -> tuple[list[str] | None, str | None]:
    """A standard logging v2 JSON record."""
    try:
        record = json.loads(line)
    except ValueError:
        return None, "not valid JSON"
    if not isinstance(record, dict):
        return None, "a JSON record must be an object"
    values = ["-"] * len(CANONICAL)
    for key, value in record.items():
        position = INDEX.get(canonical_name(key))
        if position is not None and value is not None and value != "":
            values[position] = value if isinstance(value, str) else json.dumps(value)
    if values[0] == "-" and "timestamp" in record:
        stamp = split_epoch(str(record["timestamp"]))
        if stamp is None:
            return None, "timestamp is not a Unix time"
        values[0], values[1] = stamp
    return values, None
