"""Masking IP addresses in text we keep, such as quarantined lines.

A raw client IP is never stored: a rejected line is kept for diagnosis, but
every IPv4 or IPv6 address in it is replaced first.
"""

from __future__ import annotations

import ipaddress
import re

MASK = "<ip>"
DOTTED = re.compile(r"[\d.]*\d\.[\d.]*\d")  # runs of digits and dots
IPV6 = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")


def _mask_valid(match: re.Match) -> str:
    text = match.group(0)
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return text
    return MASK


def _mask_dotted(match: re.Match) -> str:
    """Mask a run holding four dot-separated numbers up to 255 anywhere in it.

    Deliberately greedy: "\\x2010.89.113.224" (a doubly escaped space glued
    to an address, seen in real x-forwarded-for values) must not slip through.
    """
    groups = match.group(0).split(".")
    for i in range(len(groups) - 3):
        window = [groups[i][-3:], *groups[i + 1 : i + 4]]
        if all(g.isdigit() and len(g) <= 3 and int(g) <= 255 for g in window):
            return MASK
    return match.group(0)


# Cheap first look: text without these shapes cannot hold an address.
MAYBE = re.compile(r"\d\.\d|[0-9A-Fa-f]?:[0-9A-Fa-f]*:")


def redact_ips(text: str) -> str:
    if not MAYBE.search(text):
        return text
    return DOTTED.sub(_mask_dotted, IPV6.sub(_mask_valid, text))


REDACTED = "<redacted>"


class SecretParams:
    """Drops the values of named parameters (signatures, tokens, passwords) from text we keep.

    Matched wherever such a parameter can sit: in a query string (`?a=1&token=…`), as a
    path's matrix parameter (`/file;token=…/x`) and anywhere in a quarantined line.
    Names compare case-insensitively and whole: `key` is dropped, `monkey` is not.
    """

    def __init__(self, names) -> None:
        names = sorted({n.lower() for n in names}, key=len, reverse=True)
        self.enabled = bool(names)
        alternatives = "|".join(map(re.escape, names)) or r"(?!)"
        start = rf"(?<![\w.~-])({alternatives})="
        # In a query a value runs to the next parameter; its '/' are data (decoded %2F).
        self.in_query = re.compile(start + r"""([^&;\s"',]+)""", re.IGNORECASE)
        # In a path a matrix parameter's value also ends at the segment.
        self.in_path = re.compile(start + r"""([^&;/?#\s"',]+)""", re.IGNORECASE)

    def query(self, text: str) -> str:
        return self.in_query.sub(_drop_value, text) if self.enabled and "=" in text else text

    def path(self, text: str) -> str:
        return self.in_path.sub(_drop_value, text) if self.enabled and "=" in text else text


def _drop_value(match: re.Match) -> str:
    return f"{match.group(1)}={REDACTED}"
