"""One log line (canonical fields) to one COPY row of `requests`, or a reason to reject it.

This is the hot loop. Most of a row depends on a few raw fields that repeat
across lines, so the builder caches whole COPY fragments for four groups:

- the target: site, path, query and campaign (and whether the path looks like a page);
- the response: status, edge, result types, content type… (and whether it is a page);
- the referral: referrer and channel (from the referrer, the site and the query);
- the client: visitor id, user agent, location and bot flag.

A line then costs four dict lookups plus its own numbers, timestamp and key.
A fragment whose dimension ids are not known yet is `Deferred`: its keys wait
in the dimensions' pending sets, and `finish` renders the row after
`Dimensions.resolve`. Addresses are masked in every stored text a visitor
controls (path, query, referrer): trackers put the client IP in queries. The
values of signing and secret parameters (EDGELOG_REDACT_PARAMS) are dropped
from the same texts: a signed or presigned URL's query is a credential.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import struct
from datetime import date
from sys import intern

from ingester.enrich.campaign import Campaign, decide_channel, inspect_query
from ingester.enrich.geo import GeoLookup
from ingester.enrich.pageview import PAGE_METHODS, PageviewRules, status_counts
from ingester.enrich.referrer import parse_referrer, referrer_channel
from ingester.enrich.visitor import VisitorHasher
from ingester.load.caches import remember
from ingester.load.redact import SecretParams, redact_ips
from ingester.load.schema import Dimensions
from ingester.logs import decode

NULL = "\\N"
NO_CLICK_IDS: frozenset[str] = frozenset()
# ASCII digits only: Python's \d, isdigit() and date.fromisoformat accept forms
# (other scripts' digits, ISO week dates) that PostgreSQL rejects, failing the object.
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?", re.ASCII)

# COPY column order: the line's own values, then the cached groups.
COLUMNS = (
    "ts", "request_key", "bytes_sent", "range_start", "range_end",
    "time_taken_ms", "ttfb_ms", "bytes_received", "is_pageview",
    "site_id", "path_id", "query_id", "campaign_id",
    "response_id",
    "referrer_id", "channel_id",
    "visitor_id", "user_agent_id", "location_id", "is_bot",
)  # fmt: skip


class Rejected(ValueError):
    """A line that cannot become a request row; the message is the quarantine reason."""


class Deferred:
    """A group fragment waiting for dimension ids; `text()` renders it once they are known.

    The ids already known are kept here: a bounded cache may forget them meanwhile.
    """

    __slots__ = ("cache", "extra", "ids", "key", "missing", "render")

    def __init__(self, cache: dict, key: tuple, ids: list, missing: list, render, extra):
        self.cache, self.key, self.ids, self.missing = cache, key, ids, missing
        self.render, self.extra = render, extra

    def text(self) -> str:
        ids = self.ids
        for position, dimension, dim_key in self.missing:
            ids[position] = dimension.resolved[dim_key]
        return remember(self.cache, self.key, (self.render(ids), self.extra))[0]


def finish(parts: list) -> str:
    """COPY text of a row whose Deferred fragments can now be rendered."""
    return "\t".join(p if type(p) is str else p.text() for p in parts) + "\n"


class RowBuilder:
    def __init__(
        self,
        dimensions: Dimensions,
        geo: GeoLookup,
        visitors: VisitorHasher,
        rules: PageviewRules,
        click_ids: frozenset[str],
        trust_forwarded_for: bool = False,
        secrets: SecretParams | None = None,
        trusted_proxies: tuple[str, ...] = (),
    ):
        self.dims = dimensions
        self.geo = geo
        self.visitors = visitors
        self.rules = rules
        self.click_ids = click_ids
        self.trust_forwarded_for = trust_forwarded_for
        self.proxies = [ipaddress.ip_network(n) for n in trusted_proxies]
        self.secrets = secrets or SecretParams(())
        self._dates: set[str] = set()
        self._times: dict[str, None] = {}  # 86,400 of them would hold 9 MB: bounded
        self._millis: dict[str, str] = {}
        # Each maps a group's raw fields to (fragment or Deferred, extra).
        self._targets: dict[tuple, tuple] = {}
        self._responses: dict[tuple, tuple] = {}
        self._referrals: dict[tuple, tuple] = {}
        self._clients: dict[tuple, tuple] = {}
        self._queries: dict[str, tuple] = {}
        self._agents: dict[str, str | None] = {}

    def build(self, f: list[str], raw: str) -> tuple[str, str, str | list]:
        """(day, request_key, row): COPY text, or a list of parts holding Deferred fragments.

        Raises Rejected with the quarantine reason for a line that is not a request.
        """
        day, clock = f[0], f[1]
        if day not in self._dates:
            self._check_date(day)
        if clock not in self._times:
            self._check_time(clock)
        host = f[15] if f[15] != "-" else f[6]
        key = (host, f[7], f[11])
        target, path_is_page = self._targets.get(key) or self._target(_interned(key))
        # method, status, content type, protocol, HTTP version, TLS, cipher, the three
        # result types, edge
        key = (f[5], f[8], f[29], f[16], f[23], f[20], f[21], f[13], f[22], f[28], f[2])
        response, page = self._responses.get(key) or self._response(_interned(key))
        if page is None:  # a page if it looks like one: the response did not say
            page = "t" if path_is_page else "f"
        key = (host, f[9], f[11])
        referral = (self._referrals.get(key) or self._referral(_interned(key)))[0]
        key = (host, f[4], f[19], f[10], day if self.visitors.daily else None)
        client = (self._clients.get(key) or self._client(_interned(key)))[0]
        request_id = f[14]
        request_key = _key_hash(request_id if request_id != "-" else raw)
        millis = self._millis
        taken = millis.get(f[18]) or self._ms(f[18], "time-taken")
        first_byte = millis.get(f[27]) or self._ms(f[27], "time-to-first-byte")
        sent, length, start, end, received = f[3], f[30], f[31], f[32], f[17]
        if not (sent.isascii() and sent.isdigit() and len(sent) < 19):
            sent = _integer(sent, "sc-bytes")
        if not (length == "-" or (length.isascii() and length.isdigit())):  # checked, not stored
            _integer(length, "sc-content-len")
        start = NULL if start == "-" else _integer(start, "sc-range-start")
        end = NULL if end == "-" else _integer(end, "sc-range-end")
        if not (received.isascii() and received.isdigit() and len(received) < 10):
            received = _integer(received, "cs-bytes", int_max=2**31 - 1)
        own = (
            f"{day} {clock}+00\t{request_key}\t{sent}\t{start}\t{end}\t"
            f"{taken}\t{first_byte}\t{received}\t{page}"
        )
        if str is type(target) is type(response) is type(referral) is type(client):
            return day, request_key, f"{own}\t{target}\t{response}\t{referral}\t{client}\n"
        return day, request_key, [own, target, response, referral, client]

    # --- the three groups: computed once per distinct key, then cached

    def _target(self, key: tuple) -> tuple:
        host, raw_path, raw_query = key
        path = redact_ips(self.secrets.path(decode.value(raw_path) or "/"))
        query, campaign, _ = self._query(raw_query)
        dims = self.dims
        lookups = (
            (dims.sites, (host.lower(),)),
            (dims.paths, (path,)),
            (dims.queries, (query,) if query else None),
            (dims.campaigns, campaign),
        )
        return _complete(self._targets, key, lookups, "\t".join, self.rules.path_is_page(path))

    def _response(self, key: tuple) -> tuple:
        method, status, content_type, *classes, edge = key
        if not (status.isascii() and status.isdigit() and len(status) == 3):
            raise Rejected("sc-status is not a 3-digit status code")
        content_type = decode.value(content_type)
        page = "f"
        if method in PAGE_METHODS and status_counts(status):
            # Without a content type, the path decides (see build).
            page = (
                None if not content_type else _flag(self.rules.content_type_is_page(content_type))
            )
        response = (_none(method), *(_none(c) for c in classes), content_type, status, edge)
        # The edge location row must exist before a response can refer to it.
        lookups = ((self.dims.edges, (edge,)), (self.dims.responses, response))
        render = lambda ids: ids[1]  # noqa: E731
        return _complete(self._responses, key, lookups, render, page)

    def _referral(self, key: tuple):
        host, raw_referrer, raw_query = key
        referrer = parse_referrer(decode.value(raw_referrer) or "")
        channel = referrer_channel(referrer, host.lower())
        _, campaign, clicks = self._query(raw_query)
        if campaign is not None or clicks:
            channel = decide_channel(channel, Campaign(*campaign) if campaign else None, clicks)
        referrer_key = (
            (redact_ips(referrer.domain), redact_ips(self.secrets.path(referrer.path)))
            if referrer
            else None
        )
        lookups = ((self.dims.referrers, referrer_key),)
        render = lambda ids: f"{ids[0]}\t{channel.value}"  # noqa: E731
        return _complete(self._referrals, key, lookups, render)

    def _client(self, key: tuple):
        host, c_ip, forwarded, raw_agent, day = key
        ip = self._client_ip(c_ip, forwarded)
        agent = self._agents.get(raw_agent, "")
        if agent == "":  # a few hundred agents, each decoded once
            agent = remember(self._agents, raw_agent, _user_agent(raw_agent))
        location = self.geo.locate(ip) if self.geo.enabled else None
        place = (
            (location.country_code, location.region, location.city, location.country,
             location.latitude, location.longitude)
            if location else None
        )  # fmt: skip
        visitor = self.visitors.visitor_id(host.lower(), ip, agent, day or "")
        lookups = (
            (self.dims.user_agents, (agent,) if agent else None),
            (self.dims.locations, place),
        )

        def render(ids: list) -> str:
            agent_id, bot = ids[0] if agent else (NULL, "t")  # no user agent: a script
            return f"{visitor}\t{agent_id}\t{ids[1]}\t{bot}"

        return _complete(self._clients, key, lookups, render)

    # --- helpers for distinct values

    def _query(self, raw: str) -> tuple:
        """(stored query, campaign key, click ids) of a raw query field, cached."""
        if raw == "-" or raw == "":
            return None, None, NO_CLICK_IDS
        known = self._queries.get(raw)
        if known is None:
            info = inspect_query(decode.value(raw) or "", self.click_ids)
            known = (
                redact_ips(self.secrets.query(info.query)) if info.query else None,
                tuple(info.campaign) if info.campaign else None,
                info.click_ids or NO_CLICK_IDS,  # one empty set, not one per query
            )
            remember(self._queries, raw, known)
        return known

    def _client_ip(self, c_ip: str, forwarded: str) -> str:
        address = decode.ip(c_ip)
        if address is None:
            raise Rejected("c-ip is not an IP address")  # never echo the value: privacy
        if self.trust_forwarded_for and forwarded != "-":
            return self._forwarding_client(address, decode.forwarded_for(forwarded))
        return address

    def _forwarding_client(self, connecting: str, chain: list[str]) -> str:
        """The visitor behind proxies: the rightmost address no trusted proxy wrote.

        Each proxy appends the address it saw, so only what trusted proxies appended
        can be believed; anything further left was written by the client itself.
        """
        if self.proxies and not self._trusted(connecting):
            return connecting  # it came to CloudFront directly, with a header of its own
        for address in reversed(chain):
            if not self._trusted(address):
                return address
        return chain[0] if chain else connecting

    def _trusted(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return any(ip in network for network in self.proxies)

    def _check_date(self, text: str) -> None:
        try:
            valid = bool(DATE.fullmatch(text)) and 1990 < date.fromisoformat(text).year < 2100
        except ValueError:  # 2024-02-30
            valid = False
        if not valid:
            raise Rejected("date is not a YYYY-MM-DD date")
        self._dates.add(text)

    def _check_time(self, text: str) -> None:
        if not TIME.fullmatch(text):
            raise Rejected("time is not a HH:MM:SS time")
        remember(self._times, text, None)

    def _ms(self, raw: str, name: str) -> str:
        if raw == "-" or raw == "":
            return NULL
        try:
            seconds = float(raw)
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds < 2_000_000:  # also false for nan
            raise Rejected(f"{name} is not a number of seconds")
        return remember(self._millis, raw, str(round(seconds * 1000)))


def _complete(cache: dict, key: tuple, lookups: tuple, render, extra=None) -> tuple:
    """(fragment, extra): the fragment rendered from its dimension ids, or Deferred
    until they are known. `extra` is whatever the group also tells the hot loop.

    `lookups` pairs each dimension with its key (None: the column is NULL). Unknown
    keys go to the dimension's pending set, to be resolved once per chunk.
    """
    ids, missing = [], []
    for position, (dimension, dim_key) in enumerate(lookups):
        if dim_key is None:
            ids.append(NULL)
            continue
        value = dimension.cache.get(dim_key)
        if value is None:
            dimension.pending.add(dim_key)
            missing.append((position, dimension, dim_key))
        ids.append(value)
    if missing:
        return Deferred(cache, key, ids, missing, render, extra), extra
    return remember(cache, key, (render(ids), extra))


_SIGNED_64 = struct.Struct(">q").unpack


def _interned(key: tuple) -> tuple:
    """A cache key whose strings are shared: many keys repeat a host or a user agent."""
    return tuple(intern(v) if type(v) is str else v for v in key)


def _key_hash(text: str) -> str:
    """The 64-bit request key: BLAKE2b of the request id (or of the whole line)."""
    return str(_SIGNED_64(hashlib.blake2b(text.encode(), digest_size=8).digest())[0])


def _integer(raw: str, name: str, int_max: int = 2**63 - 1) -> str:
    """COPY text of an optional non-negative integer field, or Rejected."""
    if raw == "-" or raw == "":
        return NULL
    if raw.isascii() and raw.isdigit() and int(raw) <= int_max:
        return raw
    raise Rejected(f"{name} is not a whole number in range")


def _user_agent(raw: str) -> str | None:
    """The user agent as stored: proxies and some apps write the client's address in it."""
    agent = decode.user_agent(raw)
    return redact_ips(agent) if agent else agent


def _flag(value: bool) -> str:
    return "t" if value else "f"


def _none(raw: str) -> str | None:
    return None if raw == "-" or raw == "" else raw
