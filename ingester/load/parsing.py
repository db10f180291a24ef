"""Parsing objects into messages for the copier: Begin, Chunk…, then End or Abort.

The same code runs in the ingesting process or in worker processes; either
way it owns a connection for dimension lookups and the row caches.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable
from typing import BinaryIO

import psycopg
from isal.igzip_lib import IsalError

from ingester.enrich.geo import GeoLookup
from ingester.enrich.pageview import PageviewRules
from ingester.enrich.visitor import VisitorHasher
from ingester.load.ledger import Counts
from ingester.load.messages import Abort, Begin, Chunk, End
from ingester.load.redact import REDACTED, SecretParams, redact_ips
from ingester.load.rows import Rejected, RowBuilder, finish
from ingester.load.salt import DayKeys
from ingester.load.schema import Dimensions
from ingester.logs.fields import INDEX
from ingester.logs.parser import parse_lines
from ingester.logs.reader import text_lines
from ingester.settings import Settings
from ingester.sources import Hashing, ObjectRef

CHUNK_ROWS = 10_000
HELD_OBJECTS = 256  # small objects whose dimension lookups are made together
RAW_LINE_LIMIT = 2_000  # characters of a quarantined line that are kept
SCRUBBED_LIMIT = 65_536  # characters looked at for what must not be kept
COOKIE = INDEX["cs(Cookie)"]
COOKIE_MASK = "<cookie>"
ANY_VALUE = re.compile(r"""(?<![\w.~%-])([\w.~%-]+)=([^&;\s"',]+)""")
# Reading errors that fail one object and let the run go on.
BAD_INPUT = (OSError, EOFError, zlib.error, gzip.BadGzipFile, IsalError, UnicodeError)

Send = Callable[[object], None]


class ObjectParser:
    def __init__(self, settings: Settings, url: str, salt: bytes, send: Send):
        self.dimensions_conn = psycopg.connect(url, autocommit=True)
        self.dimensions = Dimensions()
        self.outbox = Outbox(self.dimensions, self.dimensions_conn, send)
        self.geo = GeoLookup(settings.geoip_db)
        self.delimiter = settings.log_delimiter
        self.secrets = SecretParams(settings.redact_params)
        self.builder = RowBuilder(
            self.dimensions,
            self.geo,
            VisitorHasher(
                salt,
                DayKeys(self.dimensions_conn, salt) if settings.salt_rotation == "daily" else None,
            ),
            PageviewRules(
                frozenset(settings.pageview_content_types), frozenset(settings.asset_extensions)
            ),
            frozenset(settings.click_ids),
            trust_forwarded_for=settings.trust_forwarded_for,
            trusted_proxies=settings.trusted_proxies or (),
            secrets=self.secrets,
        )

    def close(self) -> None:
        self.geo.close()
        self.dimensions_conn.close()

    def parse(
        self, ref: ObjectRef, stream: BinaryIO | None, error: str | None = None, attempt: int = 1
    ) -> None:
        """Queue the object's messages: Begin, its chunks, then End (or Abort)."""
        self.outbox.put(Begin(ref, attempt))
        counts = Counts()
        try:
            if stream is None:
                raise OSError(error or "could not be read")
            stream = Hashing(stream)
            self._parse(stream, counts)
            counts.digest = stream.digest()
        except BAD_INPUT as exc:
            self.outbox.put(Abort(f"{type(exc).__name__}: {exc}".strip(), counts.read))
            return
        self.outbox.put(End(counts))
        if self.outbox.rows >= CHUNK_ROWS or self.outbox.objects >= HELD_OBJECTS:
            self.outbox.flush()

    def _parse(self, stream: BinaryIO, counts: Counts) -> None:
        build = self.builder.build
        rows, deferred, keys, days, rejects = [], [], set(), set(), []
        read = duplicate = 0
        last_day = None
        for number, raw, fields, reason in parse_lines(text_lines(stream), self.delimiter):
            read += 1
            if fields is None:
                rejects.append((number, reason, self._kept(raw, None)))
                continue
            try:
                day, key, row = build(fields, raw)
            except Rejected as rejected:
                rejects.append((number, str(rejected), self._kept(raw, fields)))
                continue
            if key in keys:  # the same request twice in one chunk
                duplicate += 1
                continue
            keys.add(key)
            if day != last_day:
                days.add(day)
                last_day = day
            if type(row) is not str:
                deferred.append(len(rows))
            rows.append(row)
            if len(rows) >= CHUNK_ROWS:
                self._chunk(rows, deferred, days, rejects, counts, read)
                self.outbox.flush()
                rows, deferred, keys, days, rejects = [], [], set(), set(), []
                last_day = None
        self._chunk(rows, deferred, days, rejects, counts, read)
        counts.duplicate = duplicate

    def _kept(self, raw: str, fields: list[str] | None) -> str:
        """What a quarantined line keeps (privacy): capped, without its cookies, the values
        of secret parameters or addresses.

        NUL becomes U+FFFD: PostgreSQL text cannot hold it, and the line must be kept
        without failing its object."""
        kept = _without_cookies(raw[:SCRUBBED_LIMIT], fields)
        kept = redact_ips(self.secrets.query(kept))
        return kept[:RAW_LINE_LIMIT].replace("\x00", "\ufffd")

    def _chunk(self, rows, deferred, days, rejects, counts: Counts, read: int) -> None:
        counts.rejected += len(rejects)
        counts.days |= days
        self.outbox.put_rows(rows, deferred, days, rejects, read - counts.read)
        counts.read = read


def _without_cookies(text: str, fields: list[str] | None) -> str:
    """The line without its cs(Cookie) value. Where that value cannot be found as it
    is (a line that could not be read, an escaped JSON string), every value of every
    name=value pair goes: the line's shape is what tells why it was rejected."""
    cookie = fields[COOKIE] if fields is not None else "?"
    if cookie in ("-", ""):
        return text
    if fields is not None and cookie in text:
        return text.replace(cookie, COOKIE_MASK)
    return ANY_VALUE.sub(r"\1=" + REDACTED, text)


class Outbox:
    """Messages for the copier, held back until their rows' dimension ids are known.

    Resolving dimensions costs a round trip; doing it once for many small
    objects, instead of once per object, keeps that cost per row negligible.
    """

    def __init__(self, dimensions: Dimensions, conn: psycopg.Connection, send: Send):
        self.dimensions = dimensions
        self.conn = conn
        self.send = send
        self.items: list = []
        self.rows = self.objects = 0
        self.deferred = False

    def put(self, message) -> None:
        self.items.append(message)
        self.objects += isinstance(message, Begin)

    def put_rows(self, rows: list, deferred: list[int], days, rejects, read: int) -> None:
        self.items.append((rows, deferred, days, rejects, read))
        self.rows += len(rows)
        self.deferred = self.deferred or bool(deferred)

    def flush(self) -> None:
        if self.deferred:
            self.dimensions.resolve(self.conn)
        for item in self.items:
            if isinstance(item, tuple):
                rows, deferred, days, rejects, read = item
                for index in deferred:
                    rows[index] = finish(rows[index])
                item = Chunk("".join(rows).encode(), len(rows), days, rejects, read)
            self.send(item)
        if self.deferred:
            self.dimensions.forget_resolved()  # rendered: only the bounded caches stay
        self.items, self.rows, self.objects, self.deferred = [], 0, 0, False
