"""One log line (canonical fields) to one COPY row of `requests`, or a reason to reject it.

Addresses are masked in every stored text a visitor controls (path, query,
referrer): trackers put the client IP in query strings (`ip=…`).

This is the hot loop: every line goes through `RowBuilder.build`. Each distinct
value (user agent, path, referrer, IP, …) is decoded, parsed and looked up
once, then served from a dict. A value not yet in a dimension table leaves a
`Pending` marker; `finish` fills those in after `Dimensions.resolve`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from datetime import date

from ingester.enrich.campaign import Campaign, decide_channel, inspect_query
from ingester.enrich.channel import Channel
from ingester.enrich.geo import GeoLookup
from ingester.enrich.pageview import PAGE_METHODS, PageviewRules, status_counts
from ingester.enrich.referrer import parse_referrer, referrer_channel
from ingester.enrich.visitor import VisitorHasher
from ingester.load.redact import redact_ips
from ingester.load.schema import Dimensions
from ingester.logs import decode

NULL = "\\N"
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?")
MAX_CACHED = 200_000  # per front cache; cleared when full, to bound memory


class Pending:
    """A dimension id not known yet; `part` picks one item of a tuple value."""

    __slots__ = ("dimension", "key", "part")

    def __init__(self, dimension, key, part=None):
        self.dimension, self.key, self.part = dimension, key, part

    def text(self) -> str:
        value = self.dimension.cache[self.key]
        return value if self.part is None else value[self.part]


def _key_hash(text: str) -> str:
    digest = hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).digest()
    return str(int.from_bytes(digest, "big", signed=True))


def _to_millis(raw: str) -> str | None:
    """3-decimal seconds to whole milliseconds; None if not a number."""
    try:
        seconds = float(raw)
    except ValueError:
        return None
    if not 0 <= seconds < 2_000_000:
        return None
    return str(round(seconds * 1000))


def _integer(raw: str, name: str, digits: int = 18) -> str:
    """COPY text for an optional non-negative integer field, or raise with a reason."""
    if raw == "-" or raw == "":
        return NULL
    if raw.isdigit() and (len(raw) <= digits or int(raw) < 2**31):
        return raw
    raise Rejected(f"{name} is not a whole number in range")


class Rejected(ValueError):
    """A line that cannot become a request row; the message is the quarantine reason."""


class RowBuilder:
    def __init__(
        self,
        dimensions: Dimensions,
        geo: GeoLookup,
        visitors: VisitorHasher,
        rules: PageviewRules,
        click_ids: frozenset[str],
        trust_forwarded_for: bool = False,
    ):
        self.dims = dimensions
        self.geo = geo
        self.visitors = visitors
        self.rules = rules
        self.click_ids = click_ids
        self.trust_forwarded_for = trust_forwarded_for
        self._dates: set[str] = set()
        self._times: set[str] = set()
        self._ips: dict[str, str | None] = {}
        self._places: dict[str, tuple | None] = {}
        self._agents: dict[str, str | None] = {}
        self._paths: dict[str, tuple[tuple, bool]] = {}
        self._queries: dict[str, tuple] = {}
        self._referrers: dict[tuple[str, str], tuple] = {}
        self._millis: dict[str, str | None] = {}
        self._page_types: dict[str, bool] = {}

    def build(self, f: list[str], raw: str) -> tuple[str, str, str | list]:
        """(day, request_key, row): row is COPY text, or a list holding Pending ids.

        Raises Rejected with the quarantine reason for a line that is not a request.
        """
        day, clock, status = f[0], f[1], f[8]
        if day not in self._dates:
            self._check_date(day)
        if clock not in self._times:
            self._check_time(clock)
        if not (status.isdigit() and len(status) == 3):
            raise Rejected("sc-status is not a 3-digit status code")
        ip = self._client_ip(f[4], f[19])
        host = (f[15] if f[15] != "-" else f[6]).lower()
        agent = self._agent(f[10])
        path_key, page_path = self._path(f[7])
        query_key, campaign_key, clicks = self._query(f[11])
        referrer_key, channel = self._referrer(f[9], host)
        if campaign_key is not None or clicks:
            channel = self._channel(channel, campaign_key, clicks)
        content_type = f[29]
        if "%" in content_type:
            content_type = decode.value(content_type) or "-"
        method = f[5]
        page = method in PAGE_METHODS and status_counts(status)
        if page:
            page = self._page_type(content_type) if content_type != "-" else page_path
        request_id = f[14]
        key = _key_hash(request_id if request_id != "-" else raw)
        deferred = False
        dims = self.dims
        row = [
            f"{day} {clock}+00",
            key,
            self.visitors.visitor_text(host, ip, agent, day),
            _integer(f[3], "sc-bytes"),
            _integer(f[30], "sc-content-len"),
            _integer(f[31], "sc-range-start"),
            _integer(f[32], "sc-range-end"),
        ]
        for dimension, dim_key in (
            (dims.sites, (host,)),
            (dims.paths, path_key),
            (dims.queries, query_key),
            (dims.referrers, referrer_key),
        ):
            if dim_key is None:
                row.append(NULL)
                continue
            value = dimension.cache.get(dim_key)
            if value is None:
                dimension.pending.add(dim_key)
                value, deferred = Pending(dimension, dim_key), True
            row.append(value)
        if agent is None:
            agent_id, bot = NULL, "t"  # no user agent at all: a script, not a browser
        else:
            value = dims.user_agents.cache.get((agent,))
            if value is None:
                dims.user_agents.pending.add((agent,))
                agent_id = Pending(dims.user_agents, (agent,), 0)
                bot, deferred = Pending(dims.user_agents, (agent,), 1), True
            else:
                agent_id, bot = value
        row.append(agent_id)
        place = self._place(ip)
        classes = (
            _none(method), _none(f[16]), _none(f[23]), _none(f[20]), _none(f[21]),
            _none(f[13]), _none(f[22]), _none(f[28]), _none(content_type),
        )  # fmt: skip
        for dimension, dim_key in (
            (dims.locations, place),
            (dims.campaigns, campaign_key),
            (dims.classes, classes),
        ):
            if dim_key is None:
                row.append(NULL)
                continue
            value = dimension.cache.get(dim_key)
            if value is None:
                dimension.pending.add(dim_key)
                value, deferred = Pending(dimension, dim_key), True
            row.append(value)
        edge = dims.edges.cache.get((f[2],))
        if edge is None:
            dims.edges.pending.add((f[2],))
            edge, deferred = Pending(dims.edges, (f[2],)), True
        row += (
            self._ms(f[18], "time-taken"),
            self._ms(f[27], "time-to-first-byte"),
            _integer(f[17], "cs-bytes", digits=9),
            status,
            edge,
            str(channel.value),
            "t" if page else "f",
            bot,
        )
        if deferred:
            return day, key, row
        return day, key, "\t".join(row) + "\n"

    # --- per-distinct-value helpers, each cached

    def _check_date(self, text: str) -> None:
        try:
            valid = len(text) == 10 and 1990 < date.fromisoformat(text).year < 2100
        except ValueError:
            valid = False
        if not valid:
            raise Rejected("date is not a YYYY-MM-DD date")
        self._dates.add(text)

    def _check_time(self, text: str) -> None:
        if not TIME.fullmatch(text):
            raise Rejected("time is not a HH:MM:SS time")
        self._times.add(text)

    def _client_ip(self, c_ip: str, forwarded: str) -> str:
        if self.trust_forwarded_for and forwarded != "-":
            for address in decode.forwarded_for(forwarded):
                if _is_public(address):
                    return address
        address = self._ips.get(c_ip, "")
        if address == "":
            address = _bounded(self._ips)[c_ip] = decode.ip(c_ip)
        if address is None:
            raise Rejected("c-ip is not an IP address")  # never echo the value: privacy
        return address

    def _agent(self, raw: str) -> str | None:
        agent = self._agents.get(raw, "")
        if agent == "":
            agent = _bounded(self._agents)[raw] = decode.user_agent(raw)
        return agent

    def _path(self, raw: str) -> tuple[tuple, bool]:
        known = self._paths.get(raw)
        if known is None:
            path = redact_ips(decode.value(raw) or "/")
            known = _bounded(self._paths)[raw] = ((path,), self.rules.path_is_page(path))
        return known

    def _query(self, raw: str) -> tuple:
        if raw == "-" or raw == "":
            return None, None, ()
        known = self._queries.get(raw)
        if known is None:
            info = inspect_query(decode.value(raw) or "", self.click_ids)
            known = (
                (redact_ips(info.query),) if info.query else None,
                tuple(info.campaign) if info.campaign else None,
                info.click_ids,
            )
            _bounded(self._queries)[raw] = known
        return known

    def _referrer(self, raw: str, host: str) -> tuple:
        known = self._referrers.get((raw, host))
        if known is None:
            referrer = parse_referrer(decode.value(raw) or "")
            key = (redact_ips(referrer.domain), redact_ips(referrer.path)) if referrer else None
            known = _bounded(self._referrers)[(raw, host)] = (
                key,
                referrer_channel(referrer, host),
            )
        return known

    def _channel(self, channel: Channel, campaign: tuple | None, clicks) -> Channel:
        return decide_channel(channel, Campaign(*campaign) if campaign else None, clicks)

    def _page_type(self, content_type: str) -> bool:
        page = self._page_types.get(content_type)
        if page is None:
            page = self._page_types[content_type] = self.rules.content_type_is_page(content_type)
        return page

    def _place(self, ip: str) -> tuple | None:
        if not self.geo.enabled:
            return None
        place = self._places.get(ip, "")
        if place == "":
            location = self.geo.locate(ip)
            place = _bounded(self._places)[ip] = (
                (location.country_code, location.region, location.city, location.country,
                 location.latitude, location.longitude)
                if location else None
            )  # fmt: skip
        return place

    def _ms(self, raw: str, name: str) -> str:
        if raw == "-" or raw == "":
            return NULL
        millis = self._millis.get(raw, "")
        if millis == "":
            millis = _bounded(self._millis)[raw] = _to_millis(raw)
        if millis is None:
            raise Rejected(f"{name} is not a number of seconds")
        return millis


def finish(row: list) -> str:
    """COPY text of a row whose Pending ids have been resolved."""
    return "\t".join(v if type(v) is str else v.text() for v in row) + "\n"


def _none(raw: str) -> str | None:
    return None if raw == "-" or raw == "" else raw


def _bounded(cache: dict) -> dict:
    if len(cache) >= MAX_CACHED:
        cache.clear()
    return cache


def _is_public(address: str) -> bool:
    return ipaddress.ip_address(address).is_global
