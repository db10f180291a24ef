"""The visitor id: a keyed hash of site, client IP and user agent.

The IP never leaves this function: only the 64-bit keyed BLAKE2b digest is
stored. Without the secret key the digest cannot be linked back to an
address. With daily rotation each UTC day has its own random key (see
ingester/load/salt.py), destroyed once no more of that day's logs can
arrive, so the same person is a new visitor each day: visitor counts across
days and cohorts are no longer possible, and in exchange nobody, the
database's owner included, can follow anyone beyond one day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable


class VisitorHasher:
    def __init__(self, salt: bytes, day_keys: Callable[[str], bytes] | None = None):
        self.salt = salt
        self.day_keys = day_keys
        self.daily = day_keys is not None
        self._keys: dict[str, bytes] = {}

    def key_for(self, day: str) -> bytes:
        if self.day_keys is None:
            return self.salt
        key = self._keys.get(day)
        if key is None:
            key = self._keys[day] = self.day_keys(day)
        return key

    def visitor_id(self, site: str, ip: str, user_agent: str | None, day: str) -> int:
        message = f"{site}\x1f{ip}\x1f{user_agent or ''}".encode()
        digest = hashlib.blake2b(message, key=self.key_for(day), digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)
