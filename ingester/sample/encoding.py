"""Field values the way CloudFront writes them into standard logs.

Since late 2019 every value is %-encoded once: bytes 0-32 and 127-255 plus the characters
`<>"#%{}|\\^~[]`'` (RFC 1738's unsafe set). Everything else, including `+ ; , / ( ) & = ?`,
is kept. Browsers already %-encode URLs, so a `%20` in a query string reaches the log as `%2520`.
"""

from __future__ import annotations

import binascii
import random
import re

_UNSAFE = set(b"<>\"#%{}|\\^~[]`'")
_TABLE = tuple(
    chr(byte) if 32 < byte < 127 and byte not in _UNSAFE else f"%{byte:02X}" for byte in range(256)
)
_URLSAFE_B64 = bytes.maketrans(b"+/", b"-_")
# Most values need no encoding at all; finding that out is much cheaper than encoding.
_NEEDS_ENCODING = re.compile(r"[^!$&()*+,\-./0-9:;=?@A-Z_a-z]")


def cf_encode(value: str | None) -> str:
    """`value` as a log field: %-encoded, `-` when empty."""
    if not value:
        return "-"
    if not _NEEDS_ENCODING.search(value):
        return value
    return "".join([_TABLE[byte] for byte in value.encode()])


def request_id(rng: random.Random) -> str:
    """A fresh `x-edge-request-id`: 40 random bytes, URL-safe base64 (56 characters, `==`)."""
    raw = binascii.b2a_base64(rng.getrandbits(320).to_bytes(40, "big"), newline=False)
    return raw.translate(_URLSAFE_B64).decode()


def token(rng: random.Random, length: int, alphabet: str) -> str:
    """`length` characters drawn from `alphabet` (click ids, short links, hashes)."""
    return "".join(rng.choices(alphabet, k=length))


URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ALNUM = URLSAFE[:62]
HEX = "0123456789abcdef"
