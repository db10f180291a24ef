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
