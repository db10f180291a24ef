"""Decoding CloudFront field values.

CloudFront %-encodes values once; decoding once gives what the viewer sent.
`%25xx` in a path or query is therefore real data and stays encoded. The one
exception: files written between about 2013 and 2019 encoded user agents
twice (`%2520` for a space), so a user agent carrying `%25` is decoded twice.
"""

from __future__ import annotations

import socket
from urllib.parse import unquote

NUL = "\x00"


def value(raw: str) -> str | None:
    """A field decoded once; "-" and "" mean no value."""
    if raw == "-" or raw == "":
        return None
    if "%" in raw:
        raw = unquote(raw, errors="replace")
    if NUL in raw:  # PostgreSQL text cannot hold NUL; scanners send %00
        raw = raw.replace(NUL, "\ufffd")
    return raw


def user_agent(raw: str) -> str | None:
    """A user agent, decoded twice when the file used the old double encoding."""
    if raw == "-" or raw == "":
        return None
    if "%25" in raw:
        raw = unquote(raw, errors="replace")
    return value(raw)


def ip(raw: str) -> str | None:
    """The canonical text of an IP address, IPv4-mapped IPv6 as IPv4; None if invalid.

    The C resolver's parser and printer are used: a hundred times cheaper than
    `ipaddress`, and their output is the canonical form (RFC 5952 for IPv6).
    """
    try:
        return socket.inet_ntop(socket.AF_INET, socket.inet_pton(socket.AF_INET, raw))
    except OSError:
        raw = raw.strip()
    try:
        return socket.inet_ntop(socket.AF_INET, socket.inet_pton(socket.AF_INET, raw))
    except OSError:
        pass
    try:
        packed = socket.inet_pton(socket.AF_INET6, raw)
    except OSError:
        return None
    if packed[:12] == IPV4_MAPPED:
        return socket.inet_ntop(socket.AF_INET, packed[12:])
    return socket.inet_ntop(socket.AF_INET6, packed)


IPV4_MAPPED = b"\x00" * 10 + b"\xff\xff"


def forwarded_for(raw: str) -> list[str]:
    """Addresses in x-forwarded-for, in order.

    Seen in real logs: `a,b`, `a, b`, `ip:port`, `[v6]:port`, `unknown`, and a
    literal `\\x20` where a space was escaped twice.
    """
    if raw in ("-", ""):
        return []
    text = value(raw) or ""
    addresses = []
    for token in text.replace("\\x20", " ").split(","):
        address = _without_port(token.strip())
        normal = ip(address) if address else None
        if normal is not None:
            addresses.append(normal)
    return addresses


def _without_port(token: str) -> str:
    if token.startswith("["):  # [2001:db8::1]:443
        return token[1 : token.find("]")] if "]" in token else token
    if token.count(":") == 1:  # 192.0.2.1:8080
        return token.split(":", 1)[0]
    return token
