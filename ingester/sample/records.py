"""One request in, one log record out: how CloudFront answers and what it writes down.

`Recorder.serve` decides the answer (cache result, status, origin errors, hang-ups) and its
timings, formats the 33-field line and files it under the hour the request completed in, until
the generator takes that hour's records to write them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from ingester.sample.encoding import request_id
from ingester.sample.sites.model import Resource, Site

HANG_UP = 0.0012  # viewer closed the connection before the response (status 000)
ABORT = 0.0008  # viewer went away during the body: the status stays, the result is Error
MEDIA_HANG_UP = 0.03  # video seeks and closed tabs cut range requests short
ORIGIN_FAILURE = 0.0003  # requests reaching the origin that fail outside any outage
HOUR = 3600


class Conn:
    """The fields of a record that stay the same while one client connection lasts."""

    __slots__ = ("cipher", "edge", "fresh", "http", "ip", "port", "scheme", "tls", "ua", "xff")

    def __init__(
        self,
        ip: str,
        ua: str,
        edge: str,
        http: str = "HTTP/2.0",
        tls: str = "TLSv1.3",
        cipher: str = "TLS_AES_128_GCM_SHA256",
        xff: str = "-",
    ) -> None:
        self.ip, self.ua, self.edge, self.http = ip, ua, edge, http
        self.tls, self.cipher, self.xff = tls, cipher, xff
        self.scheme, self.port = "https", 0
        self.fresh = True  # the first request on a connection carries the full headers

    def reconnect(self, rng: random.Random) -> None:
        self.port = rng.randint(1024, 65535)
        self.fresh = True


class Answer(NamedTuple):
    status: str
    result: str  # x-edge-result-type
    response: str  # x-edge-response-result-type: the result before anything went wrong
    detailed: str  # x-edge-detailed-result-type
    ctype: str  # sc-content-type
    length: int | str  # sc-content-len
    body: int  # body bytes actually sent
    ttfb: float
    taken: float


@dataclass(frozen=True)
class Outage:
    """A window in which the origin of one site fails nearly every request that reaches it."""

    site: str
    start: float
    end: float


def _times() -> tuple[str, ...]:
    return tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400))


class Recorder:
    """Formats records and keeps them by (hour, distribution) until they are written."""

    _TIMES: tuple[str, ...] = ()  # "HH:MM:SS" of every second of a day

    def __init__(self, rng: random.Random, start: int, end: int, outages=()) -> None:
        self.rng = rng
        self.start, self.end = start, end  # epoch seconds: the logged period
        self.outages = list(outages)
        self.pending: dict[int, dict[str, list[tuple[float, str]]]] = {}
        self.count = 0
        if not Recorder._TIMES:
            Recorder._TIMES = _times()
        days = range(start // 86400, end // 86400 + 1)
        self._dates = [datetime.fromtimestamp(d * 86400, UTC).strftime("%Y-%m-%d") for d in days]

    def take(self, hour: int) -> dict[str, list[tuple[float, str]]]:
        """The records that completed in hour `hour` of the period, by distribution."""
        return self.pending.pop(hour, {})

    def serve(
        self,
        ts: float,
        site: Site,
        conn: Conn,
        res: Resource,
        *,
        referer: str = "-",
        query: str | None = None,
        method: str = "GET",
        conditional: bool = False,
        span: tuple[int, int] | None = None,
    ) -> str:
        """Log the request for `res` made at `ts`; the status the viewer got.

        `referer` and `query` are logged values (`query` defaults to the resource's own),
        `conditional` asks for a 304, `span` is a byte range (inclusive) for a 206.
        """
        answer = self._answer(ts, site, res, method, conditional, span)
        self._emit(ts, site, conn, res, referer, query, method, answer, span)
        return answer.status

    def _answer(self, ts, site, res, method, conditional, span) -> Answer:
        result = self._cache(res, method)
        status = res.status if res.status != "200" else "206" if span else "200"
        if status == "200" and conditional:
            status = "304"
        if result != "Hit" and status[0] in "23" and self._origin_fails(site.key, ts):
            return self._origin_error(site)
        body = res.size if span is None else span[1] - span[0] + 1
        ttfb = self._ttfb(site, result)
        taken = ttfb + body / self.rng.uniform(2e6, 4e7)
        hang_up = MEDIA_HANG_UP if span else HANG_UP
        r = self.rng.random()
        if r < hang_up:  # nothing but a few bytes reached the viewer
            sent = int(body * self.rng.random() * 0.5)
            return Answer("000", "Error", result, "ClientCommError", "-", "-", sent, ttfb, taken)
        if r < hang_up + ABORT and status == "200":
            return Answer(
                status, "Error", result, "ClientCommError", "-", "-", body // 3, ttfb, taken
            )
        if status == "304":
            return Answer(status, result, result, result, "-", "-", 0, ttfb, ttfb)
        if status[0] == "4":
            result = "Error"
        sent = 0 if method == "HEAD" else body
        return Answer(status, result, result, result, res.ctype, body, sent, ttfb, taken)

    def _cache(self, res: Resource, method: str) -> str:
        if method == "POST" or res.hit == 0.0:
            return "Miss"
        r = self.rng.random()
        return "Hit" if r < res.hit else "RefreshHit" if r < res.hit + 0.03 else "Miss"

    def _origin_fails(self, site_key: str, ts: float) -> bool:
        for outage in self.outages:
            if outage.site == site_key and outage.start <= ts < outage.end:
                return self.rng.random() < 0.9
        return self.rng.random() < ORIGIN_FAILURE

    def _origin_error(self, site: Site) -> Answer:
        """502/503/504 from a failing origin; a 504 has waited for the 30 s origin timeout."""
        status = self.rng.choices(("502", "503", "504"), (5, 2, 3))[0]
        detailed = {"502": "OriginConnectError", "503": "Error", "504": "OriginReadError"}[status]
        ttfb = 30.0 + self.rng.random() * 0.2 if status == "504" else self._ttfb(site, "Miss")
        return Answer(status, "Error", "Error", detailed, "text/html", 951, 951, ttfb, ttfb)

    def _ttfb(self, site: Site, result: str) -> float:
        if result == "Hit":
            return 0.001 + self.rng.expovariate(250.0)
        return self.rng.lognormvariate(0.0, 0.45) * site.origin_latency

    def redirect_to_https(self, ts: float, site: Site, conn: Conn, res: Resource) -> None:
        """The viewer typed http://: CloudFront's viewer protocol policy answers 301 itself."""
        saved = conn.scheme, conn.tls, conn.cipher, conn.http
        conn.scheme, conn.tls, conn.cipher, conn.http = "http", "-", "-", "HTTP/1.1"
        ttfb = 0.001 + self.rng.expovariate(500.0)
        answer = Answer(
            "301", "Redirect", "Redirect", "Redirect", "text/html", 167, 167, ttfb, ttfb
        )
        self._emit(ts, site, conn, res, "-", "-", "GET", answer, None)
        conn.scheme, conn.tls, conn.cipher, conn.http = saved
        conn.reconnect(self.rng)

    def _emit(self, ts, site, conn, res, referer, query, method, answer: Answer, span) -> None:
        done = int(ts + answer.taken)
        if not self.start <= done < self.end:
            return  # outside the logged period
        rng = self.rng
        query = res.query if query is None else query
        if conn.fresh or conn.http == "HTTP/1.1":
            sent = 140 + len(conn.ua) + len(referer) + len(res.stem) + len(query)
            conn.fresh = False
        else:  # HPACK/QPACK: repeated headers cost a byte or two each
            sent = 24 + int(rng.random() * 60) + (len(res.stem) + len(query)) // 2
        if method == "POST":
            sent += 120 + int(rng.random() * 900)
        start, end = span if span and answer.status == "206" else ("-", "-")
        headers = 330 + int(rng.random() * 220)
        line = (
            f"{self._dates[done // 86400 - self.start // 86400]}\t{self._TIMES[done % 86400]}\t"
            f"{conn.edge}\t{answer.body + headers}\t{conn.ip}\t{method}\t{site.cf_host}\t"
            f"{res.stem}\t{answer.status}\t{referer}\t{conn.ua}\t{query}\t-\t{answer.result}\t"
            f"{request_id(rng)}\t{site.domain}\t{conn.scheme}\t{sent}\t{answer.taken:.3f}\t"
            f"{conn.xff}\t{conn.tls}\t{conn.cipher}\t{answer.response}\t{conn.http}\t-\t-\t"
            f"{conn.port}\t{answer.ttfb:.3f}\t{answer.detailed}\t{answer.ctype}\t{answer.length}\t"
            f"{start}\t{end}\n"
        )
        hour = self.pending.setdefault((done - self.start) // HOUR, {})
        # Sort key: completion time plus up to 90 s, so files come out nearly but not quite
        # in time order, as CloudFront's do.
        hour.setdefault(site.distribution, []).append((done + rng.random() * 90, line))
        self.count += 1
