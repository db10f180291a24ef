"""Real-time log records (Kinesis Data Streams), read with a #Fields header.

Real-time logs have no header of their own and their fields are chosen per
configuration, so a record is only read when a header names the fields. The
timestamp is Unix time with milliseconds, and `cs-uri-stem` may carry the
query string.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ingester.logs.fields import CANONICAL, INDEX

QUERY = INDEX["cs-uri-query"]
STEM = INDEX["cs-uri-stem"]


def split_epoch(value: str) -> tuple[str, str] | None:
    """Unix seconds (with optional fraction) to legacy `date` and `time` fields."""
    try:
        moment = datetime.fromtimestamp(float(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


def realtime_fields(names: list[str], delimiter: str):
    positions = [(INDEX.get(name), i) for i, name in enumerate(names)]
    positions = [(target, source) for target, source in positions if target is not None]
    stamp = names.index("timestamp")
    width = len(names)

    def handler(line: str) -> tuple[list[str] | None, str | None]:
        values = line.split(delimiter)
        if len(values) == width + 1 and values[-1] == "":
            values.pop()
        if len(values) != width:
            return None, f"{len(values)} fields where the #Fields header declares {width}"
        when = split_epoch(values[stamp])
        if when is None:
            return None, "timestamp is not a Unix time"
        fields = ["-"] * len(CANONICAL)
        for target, source in positions:
            fields[target] = values[source]
        fields[0], fields[1] = when
        stem = fields[STEM]
        if "?" in stem:
            fields[STEM], query = stem.split("?", 1)
            if fields[QUERY] == "-":
                fields[QUERY] = query or "-"
        return fields, None

    return handler
