"""CloudFront log field names, in the one order the rest of edgelog works with.

Every format (legacy standard logs of any width, standard logging v2 W3C/plain
or JSON, real-time logs) is turned into a list in CANONICAL order: the 33
fields of today's legacy format, then the documented extras.
"""

from __future__ import annotations

from functools import lru_cache

# Legacy standard log fields, in file order. Older files carry a prefix of
# this list: 12 (2011), 15, 18, 19, 23, 24, 26 and 33 (since December 2019).
CANONICAL = (
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)",
    "cs-uri-stem", "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)",
    "x-edge-result-type", "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes",
    "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher", "x-edge-response-result-type",
    "cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port", "time-to-first-byte",
    "x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start",
    "sc-range-end",
    # Documented since 2025; real files still have 33 fields.
    "distribution-tenant-id", "connection-id",
)  # fmt: skip

INDEX = {name: i for i, name in enumerate(CANONICAL)}
WIDTH = len(CANONICAL)

# Widths CloudFront has written over the years; a headerless line of one of
# these widths is read as that prefix of CANONICAL.
HISTORIC_WIDTHS = frozenset({12, 15, 18, 19, 23, 24, 26, 33, 34, 35})
MIN_WIDTH = 12

# Names used by standard logging v2 and real-time logs for the same fields.
ALIASES = {
    "cs-host": "cs(Host)",
    "cs-referer": "cs(Referer)",
    "cs-referrer": "cs(Referer)",
    "cs-user-agent": "cs(User-Agent)",
    "cs-cookie": "cs(Cookie)",
}

# Fields that only RTMP (streaming distribution) logs have.
RTMP_FIELDS = frozenset({"x-event", "x-cf-status", "x-cf-client-id", "x-sname", "x-sid"})

# Fields we need; a layout without them cannot produce a request.
REQUIRED = ("date", "time", "c-ip", "cs-method", "cs-uri-stem", "sc-status")


_BY_LOWER = {name.lower(): name for name in CANONICAL} | ALIASES


@lru_cache(maxsize=1024)  # JSON records name every field on every line
def canonical_name(name: str) -> str:
    """A header name as CANONICAL spells it (case, aliases, stray zero-width spaces)."""
    cleaned = name.strip().replace("\u200b", "").replace("\ufeff", "")
    return _BY_LOWER.get(cleaned.lower(), cleaned)
