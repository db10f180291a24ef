"""Visitor geography from a MaxMind GeoLite2/GeoIP2 City or Country database.

Privacy: the address looked up is never logged, stored or put in an error.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, Self

import geoip2.database
import maxminddb

log = logging.getLogger(__name__)

HOW_TO_GET_GEOLITE2 = (
    "visitor geography is off. To turn it on, create a free MaxMind account, download "
    "the GeoLite2-City database (.mmdb) and set EDGELOG_GEOIP_DB to its path "
    "(GeoLite2-Country works too, without regions and cities)."
)
_warned = False  # the warning above is logged once per process


class Location(NamedTuple):
    country_code: str | None
    country: str | None
    region: str | None
    city: str | None
    latitude: float | None
    longitude: float | None


class GeoLookup:
    """Locates addresses in a City or Country database; disabled without a usable one.

    geoip2 opens and checks the database. Lookups read its records as plain
    dicts through maxminddb (the reader geoip2 itself is built on): geoip2's
    model objects cost about ten times more per address, and an ingest looks
    up every distinct visitor address once.

    The reader is read-only and safe to share between threads. Close it when done,
    or use the lookup as a context manager.
    """

    def __init__(self, database: Path | None) -> None:
        self._records: maxminddb.Reader | None = None
        problem = self._open(Path(database) if database is not None else None)
        if problem is not None:
            _warn_once(problem)

    @property
    def enabled(self) -> bool:
        return self._records is not None

    def locate(self, ip: str) -> Location | None:
        """Where `ip` is, or None: disabled, not an address, or not in the database."""
        if self._records is None:
            return None
        try:
            record = self._records.get(ip)
        except ValueError:
            address = _normalise(ip)  # e.g. IPv4-mapped IPv6, or stray spaces
            if address is None or address == ip:
                return None
            return self.locate(address)
        if record is None and ip.startswith("::ffff:"):
            return self.locate(_normalise(ip) or ip[7:])
        return _location(record) if record else None

    def close(self) -> None:
        if self._records is not None:
            self._records.close()
        self._records = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _open(self, database: Path | None) -> str | None:
        """Open the database; what is wrong with it if that fails."""
        if database is None:
            return "EDGELOG_GEOIP_DB is not set"
        if not database.is_file():
            return f"{database} does not exist or is not a file"
        try:
            with geoip2.database.Reader(str(database)) as reader:
                kind = reader.metadata().database_type
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as error:
            return f"{database} is not a MaxMind database ({type(error).__name__})"
        # City and Enterprise records hold regions and cities; Country ones do not.
        if not any(name in kind for name in ("Enterprise", "City", "Country")):
            return f"{database} is a {kind} database, not a City or Country one"
        self._records = maxminddb.open_database(str(database))
        return None


def warned_already() -> None:
    """In a worker process: the process that started it gave the warning."""
    global _warned
    _warned = True


def _warn_once(problem: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning("No GeoIP database (%s): %s", problem, HOW_TO_GET_GEOLITE2)


def _normalise(ip: str) -> str | None:
    """The address as the database indexes it: IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def _name(record: dict, key: str) -> str | None:
    names = (record.get(key) or {}).get("names") or {}
    return names.get("en")


def _location(record: dict) -> Location | None:
    country = record.get("country") or record.get("registered_country") or {}
    subdivisions = record.get("subdivisions") or []
    location = record.get("location") or {}
    result = Location(
        country_code=country.get("iso_code"),
        country=(country.get("names") or {}).get("en"),
        region=_name({"s": subdivisions[-1]}, "s") if subdivisions else None,
        city=_name(record, "city"),
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
    )
    return None if all(value is None for value in result) else result
