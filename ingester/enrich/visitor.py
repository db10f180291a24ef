"""The visitor id: a keyed hash of site, client IP and user agent.

The IP never leaves this function: only the 64-bit keyed BLAKE2b digest is
stored. Without the secret salt the digest cannot be linked back to an
address. With daily rotation the key changes every UTC day (derived from the
salt and the date), so the same person is a new visitor each day: visitor
counts across days and cohorts are no longer possible, and in exchange even
the database owner cannot follow anyone beyond one day.
"""

from __future__ import annotations

import hashlib


class VisitorHasher:
    def __init__(self, salt: bytes, daily: bool = False):
        self.salt = salt
        self.daily = daily
        self._keys: dict[str, bytes] = {}

    def key_for(self, day: str) -> bytes:
        if not self.daily:
            return self.salt
        key = self._keys.get(day)
        if key is None:
            key = self._keys[day] = hashlib.blake2b(
                day.encode(), key=self.salt, digest_size=32, person=b"edgelog-day"
            ).digest()
        return key

    def visitor_id(self, site: str, ip: str, user_agent: str | None, day: str) -> int:
        message = f"{site}\x1f{ip}\x1f{user_agent or ''}".encode()
        digest = hashlib.blake2b(message, key=self.key_for(day), digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)
