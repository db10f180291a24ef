"""Dates in log object names, and how to name a later date the same way.

CloudFront names its log objects after the UTC hour they cover, in one of three styles:

- legacy logging: `<prefix><DISTRIBUTION_ID>.YYYY-MM-DD-HH.<unique>.gz`
- standard logging v2, partitioned by path: `.../YYYY/MM/DD/HH/...` (hour optional)
- standard logging v2, Hive-style: `.../year=YYYY/month=MM/day=DD/hour=HH/...` (hour optional)

Every style is zero-padded and ordered year first, so a key's text sorts like its date. That
lets a lister jump past old keys: the keys that share a key's text before its date, and are
older than `since`, all sort before that text followed by `since` written in the same style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Style:
    name: str
    # Groups: date (the whole date text), y, m, d, h (absent for day partitions). The
    # delimiters around a date are lookarounds, which consume nothing: a false match such
    # as 1234/56/78/ must not swallow the "/" a real date right after it starts with.
    pattern: re.Pattern[str]
    hour_format: str
    day_format: str | None  # None: the style always names the hour


_STYLES = (
    _Style(
        "legacy",
        re.compile(r"(?<=\.)(?P<date>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})-(?P<h>\d{2}))(?=\.)"),
        "%Y-%m-%d-%H",
        None,
    ),
    _Style(
        "path",
        re.compile(r"(?<![^/])(?P<date>(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?:(?P<h>\d{2})/)?)"),
        "%Y/%m/%d/%H",
        "%Y/%m/%d",
    ),
    _Style(
        "hive",
        re.compile(
            r"(?<![^/])(?P<date>year=(?P<y>\d{4})/month=(?P<m>\d{2})/day=(?P<d>\d{2})/"
            r"(?:hour=(?P<h>\d{2})/)?)"
        ),
        "year=%Y/month=%m/day=%d/hour=%H",
        "year=%Y/month=%m/day=%d",
    ),
)


@dataclass(frozen=True)
class KeyDate:
    """The UTC period a key is named after, and the key's text before the date."""

    start: datetime
    span: timedelta  # HOUR, or DAY for day-partitioned keys
    before: str
    style: _Style

    def is_older_than(self, since: datetime) -> bool:
        """True when the whole period ended at or before `since` (a file for 10:00 can hold
        requests up to 10:59, so it is still wanted for since=10:30)."""
        return self.start + self.span <= as_utc(since)

    def resume_after(self, since: datetime) -> str:
        """Key text that sorts after every key of this group older than `since`, and before
        every key of this group that is not."""
        fmt = self.style.hour_format if self.span == HOUR else self.style.day_format
        assert fmt is not None
        return self.before + _floor(as_utc(since), self.span).strftime(fmt)


def key_date(key: str) -> KeyDate | None:
    """The date a key is named after (its first recognisable one), or None."""
    found = [dated for style in _STYLES if (dated := _first_match(style, key))]
    return min(found, key=lambda dated: len(dated.before), default=None)


def as_utc(since: datetime) -> datetime:
    """`since` in UTC; a naive datetime is refused rather than guessed at."""
    if since.tzinfo is None or since.utcoffset() is None:
        raise ValueError(f"since must be timezone-aware, got {since.isoformat()}")
    return since.astimezone(UTC)


def _first_match(style: _Style, key: str) -> KeyDate | None:
    for match in style.pattern.finditer(key):
        # Digits in the right places are not always a date (a month of 13, a build number).
        try:
            start = datetime(
                int(match["y"]), int(match["m"]), int(match["d"]), int(match["h"] or 0), tzinfo=UTC
            )
        except ValueError:
            continue
        span = HOUR if match["h"] is not None else DAY
        return KeyDate(start, span, key[: match.start("date")], style)
    return None


def _floor(moment: datetime, span: timedelta) -> datetime:
    moment = moment.replace(minute=0, second=0, microsecond=0)
    return moment.replace(hour=0) if span == DAY else moment
