"""The secret key of the visitor hash, kept outside the database it protects.

From EDGELOG_SALT, or generated once into a key file (EDGELOG_SALT_FILE, in
the user's data directory by default, readable by its owner only). A key in
the database would sit next to each visitor's site and user agent: with a
dump, anyone could hash every IPv4 address and find who a visitor was.

Older versions kept a generated key in the `secrets` table. The first run
moves it to the key file, so visitor ids go on unchanged, and destroys the
database's copy (see `destroy`).

With daily rotation each UTC day's visitor key is made from that key and a
random seed of the day, kept in `visitor_keys` only while the day's logs can
still arrive (48 hours from its start) and then destroyed: a dump alone
holds no usable key, and after the seed is gone not even the key's holder
can recompute a past day's visitor ids. A late line after that gets a fresh
seed, so it counts as a new visitor.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from datetime import date, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

LEGACY_NAME = "visitor_salt"  # its row in `secrets`, before the key file
KEY_BYTES = 32


class SaltError(RuntimeError):
    """The key file cannot be read or written."""


def visitor_salt(conn: psycopg.Connection, configured: str | None, key_file: Path) -> bytes:
    """The visitor key; `conn` is an autocommit connection (for the legacy move)."""
    legacy = _legacy_salt(conn)
    if configured:
        key = hashlib.blake2b(configured.encode(), digest_size=KEY_BYTES).digest()
    else:
        key = _read(key_file) or _create(key_file, legacy or secrets.token_bytes(KEY_BYTES))
    if legacy is not None:
        destroy(conn, "secrets", sql.SQL("name = {}").format(sql.Literal(LEGACY_NAME)))
    return key


class DayKeys:
    """Each day's visitor key, the same for every loader; `conn` is in autocommit mode."""

    def __init__(self, conn: psycopg.Connection, salt: bytes):
        self.conn = conn
        self.salt = salt

    def __call__(self, day: str) -> bytes:
        self.conn.execute(
            "insert into visitor_keys (day, seed) values (%s, %s) on conflict do nothing",
            [day, secrets.token_bytes(KEY_BYTES)],
        )
        seed = self.conn.execute("select seed from visitor_keys where day = %s", [day]).fetchone()
        return day_key(self.salt, bytes(seed[0]))


def day_key(salt: bytes, seed: bytes) -> bytes:
    """A day's visitor key from the key and the day's seed (also what `edgelog forget` uses)."""
    return hashlib.blake2b(seed, key=salt, digest_size=KEY_BYTES, person=b"edgelog-day").digest()


def destroy_expired_day_keys(conn: psycopg.Connection, today: date) -> int:
    """Destroy the seeds of days whose logs can no longer arrive: CloudFront delivers
    within 24 hours, so a day's seed lives until the end of the next day."""
    cutoff = sql.Literal(today - timedelta(days=1))
    return destroy(conn, "visitor_keys", sql.SQL("day < {}").format(cutoff))


def destroy(conn: psycopg.Connection, table: str, where: sql.Composable) -> int:
    """Delete rows holding a key so that the table's files no longer hold it either.

    A deleted (or updated) row stays in the table's pages until a vacuum, and a
    plain vacuum leaves its bytes in the freed space: VACUUM FULL writes the
    table anew and removes the old files. Copies in the write-ahead log last
    until PostgreSQL recycles its segments, and backups keep theirs.
    """
    deleted = conn.execute(
        sql.SQL("delete from {} where {}").format(sql.Identifier(table), where)
    ).rowcount
    if deleted:
        conn.execute(sql.SQL("vacuum full {}").format(sql.Identifier(table)))
    return deleted


def _legacy_salt(conn: psycopg.Connection) -> bytes | None:
    exists = conn.execute("select to_regclass('secrets') is not null").fetchone()[0]
    if not exists:
        return None
    row = conn.execute("select value from secrets where name = %s", [LEGACY_NAME]).fetchone()
    return bytes(row[0]) if row else None


def _read(key_file: Path) -> bytes | None:
    try:
        text = key_file.read_text().strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SaltError(f"cannot read the visitor key file {key_file}: {exc}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise SaltError(f"{key_file} does not hold a visitor key ({KEY_BYTES * 2} hex digits)")
    return key


def _create(key_file: Path, key: bytes) -> bytes:
    """Write the key file, readable by its owner only. It appears whole or not at all
    (written aside, then linked): another process making one at once finds it complete."""
    try:
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=key_file.parent, prefix=".visitor-key-")
        try:
            with os.fdopen(descriptor, "w") as out:  # mkstemp makes it 0600
                out.write(key.hex() + "\n")
            os.link(draft, key_file)
        finally:
            os.unlink(draft)
    except FileExistsError:
        return _read(key_file) or key
    except OSError as exc:
        raise SaltError(f"cannot create the visitor key file {key_file}: {exc}") from None
    return key
