"""Who the human visitors are: address, browser and city, and who comes back.

A returning visitor keeps the same IP address and user agent (that is what lets the loader
recognise them), and the browser cache from the last visit spares the stylesheets and scripts.
"""

from __future__ import annotations

import ipaddress
import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from typing import ClassVar

from ingester.sample.agents import BROWSERS, Browser
from ingester.sample.encoding import cf_encode
from ingester.sample.places import CITIES, DATACENTERS, City
from ingester.sample.records import Conn
from ingester.sample.sites.model import Site

RETURNING = 0.3  # share of visits by someone seen before (when there is anyone to return)
POOL = 400  # visitors remembered per site and city: bounds memory on long runs
CIPHERS = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")


class Addresses:
    """Random host addresses inside one CIDR block."""

    _cache: ClassVar[dict[str, Addresses]] = {}

    def __init__(self, cidr: str) -> None:
        network = ipaddress.ip_network(cidr)
        self.base, self.size, self.v6 = int(network[0]), network.num_addresses, network.version == 6

    @classmethod
    def of(cls, cidr: str) -> Addresses:
        if cidr not in cls._cache:
            cls._cache[cidr] = cls(cidr)
        return cls._cache[cidr]

    def pick(self, rng: random.Random) -> str:
        if self.v6:  # random /64 inside the block, random (privacy) interface id
            return str(ipaddress.IPv6Address(self.base + rng.randrange(self.size)))
        if self.size >= 256:  # avoid .0 and .255, which home routers never get
            n = self.base + rng.randrange(self.size >> 8) * 256 + rng.randint(1, 254)
        else:
            n = self.base + 1 + rng.randrange(self.size - 2)
        return f"{n >> 24}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def network_address(rng: random.Random, key: str, v6: bool = False) -> str:
    """An address of a data centre or service network (the first IPv6 block when asked)."""
    cidrs = DATACENTERS[key].cidrs
    pool = [c for c in cidrs if (":" in c) == v6] or list(cidrs)
    return Addresses.of(rng.choice(pool)).pick(rng)


@dataclass(slots=True)
class Visitor:
    ip: str
    ua: str  # as logged
    browser: Browser
    city: City
    cipher: str
    proxy: str | None = None  # c-ip of the corporate proxy; the visitor is in x-forwarded-for
    edges: tuple[str, ...] = ()  # nearest edge locations (of the proxy, when there is one)
    cached_until: float = 0.0  # stylesheets, scripts and fonts are in the browser cache
    seen: list[str] = field(default_factory=list)  # pages visited, for conditional requests

    def connect(self, rng: random.Random, site: Site) -> Conn:
        """A new connection for one visit: nearest edge, HTTP/3 where both sides speak it."""
        edges = self.edges or self.city.edges
        edge = edges[0] if len(edges) == 1 or rng.random() < 0.8 else rng.choice(edges[1:])
        if self.proxy:
            conn = Conn(
                self.proxy,
                self.ua,
                edge,
                "HTTP/1.1",
                "TLSv1.2",
                "ECDHE-RSA-AES128-GCM-SHA256",
                xff=self.ip,
            )
        else:
            http3 = site.http3 and self.browser.http3 and rng.random() < 0.35
            http = "HTTP/3.0" if http3 else "HTTP/1.1" if rng.random() < 0.03 else "HTTP/2.0"
            conn = Conn(self.ip, self.ua, edge, http, cipher=self.cipher)
        conn.reconnect(rng)
        return conn


class Visitors:
    """New and returning visitors of one site, remembered per city."""

    _encoded: ClassVar[dict[str, str]] = {}  # user agent -> as logged

    def __init__(self, site: Site) -> None:
        self.site = site
        self.devices = list(site.devices)
        self._device_weights = list(accumulate(site.devices.values()))
        self._browsers = {d: list(accumulate(b.weight for b in BROWSERS[d])) for d in BROWSERS}
        self.known: dict[str, list[Visitor]] = {}

    def arrive(self, rng: random.Random, city_key: str) -> Visitor:
        """Someone from `city_key` starts a visit: often a stranger, sometimes back again."""
        known = self.known.setdefault(city_key, [])
        if known and rng.random() < RETURNING:
            visitor = rng.choice(known)
        else:
            visitor = self._new(rng, CITIES[city_key])
            if len(known) < POOL:
                known.append(visitor)
            else:
                known[rng.randrange(POOL)] = visitor
        return visitor

    def _new(self, rng: random.Random, city: City) -> Visitor:
        device = self.devices[bisect(self._device_weights, rng.random() * self._device_weights[-1])]
        weights = self._browsers[device]
        browser = BROWSERS[device][bisect(weights, rng.random() * weights[-1])]
        v6_share = city.ipv6_share * (1.3 if device == "mobile" else 0.8)
        cidr = city.ipv6 if city.ipv6 and rng.random() < v6_share else city.ipv4
        cipher = CIPHERS[0] if browser.family == "Safari" else rng.choices(CIPHERS, (90, 6, 4))[0]
        visitor = Visitor(Addresses.of(cidr).pick(rng), self._ua(browser.ua), browser, city, cipher)
        if device == "desktop" and rng.random() < self.site.proxied:
            proxy = "proxy-eu" if -1 < city.utc_offset < 4 else "proxy-us"
            visitor.proxy, visitor.edges = network_address(rng, proxy), DATACENTERS[proxy].edges
        return visitor

    @classmethod
    def _ua(cls, ua: str) -> str:
        if ua not in cls._encoded:
            cls._encoded[ua] = cf_encode(ua)
        return cls._encoded[ua]
