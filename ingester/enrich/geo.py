"""Visitor geography from a MaxMind GeoLite2/GeoIP2 City or Country database.

Privacy: the address looked up is never logged, stored or put in an error.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self

import geoip2.database
import geoip2.errors
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

    The reader is read-only and safe to share between threads. Close it when done,
    or use the lookup as a context manager.
    """

    def __init__(self, database: Path | None) -> None:
        self._reader: geoip2.database.Reader | None = None
        self._lookup: Callable[[str], Any] | None = None
        problem = self._open(Path(database) if database is not None else None)
        if problem is not None:
            _warn_once(problem)

    @property
    def enabled(self) -> bool:
        return self._lookup is not None

    def locate(self, ip: str) -> Location | None:
        """Where `ip` is, or None: disabled, not an address, or not in the database."""
        if self._lookup is None:
            return None
        address = _normalise(ip)
        if address is None:
            return None
        try:
            found = self._lookup(address)
        except (geoip2.errors.AddressNotFoundError, ValueError):
            return None
        return _location(found)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self._reader = self._lookup = None

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
            reader = geoip2.database.Reader(str(database))
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as error:
            return f"{database} is not a MaxMind database ({type(error).__name__})"
        kind = reader.metadata().database_type
        # City and Enterprise records hold regions and cities; Country ones do not.
        lookups = {"Enterprise": reader.enterprise, "City": reader.city, "Country": reader.country}
        lookup = next((call for name, call in lookups.items() if name in kind), None)
        if lookup is None:
            reader.close()
            return f"{database} is a {kind} database, not a City or Country one"
        self._reader, self._lookup = reader, lookup
        return None


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


def _location(found: Any) -> Location | None:
    country = found.country
    city = getattr(found, "city", None)  # absent from Country records
    subdivisions = getattr(found, "subdivisions", None)
    location = getattr(found, "location", None)
    result = Location(
        country_code=country.iso_code,
        country=country.name,
        region=subdivisions.most_specific.name if subdivisions else None,
        city=city.name if city else None,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
    )
    return None if all(value is None for value in result) else result
