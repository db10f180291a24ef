"""Write MaxMind-format City databases (GeoLite2 layout) with mmdb-writer.

The sample generator uses this for the IP ranges it hands out, and tests use
it to get a real .mmdb file that geoip2 reads like the real GeoLite2-City.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mmdb_writer import MmdbU32, MMDBWriter
from netaddr import IPSet


@dataclass(frozen=True)
class Place:
    country_code: str
    country: str
    region: str | None
    city: str | None
    latitude: float
    longitude: float
    geoname_id: int = 0


def _record(place: Place) -> dict:
    record: dict = {
        "country": {"iso_code": place.country_code, "names": {"en": place.country}},
        "location": {"latitude": place.latitude, "longitude": place.longitude},
    }
    if place.city:
        record["city"] = {"geoname_id": MmdbU32(place.geoname_id), "names": {"en": place.city}}
    if place.region:
        record["subdivisions"] = [{"names": {"en": place.region}}]
    return record


def write_city_database(path: Path, networks: dict[str, Place]) -> Path:
    """Write `networks` (CIDR → place) as a GeoLite2-City style database at `path`."""
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoLite2-City",
        languages=["en"],
        description="edgelog sample geography (not real MaxMind data)",
    )
    for cidr, place in networks.items():
        writer.insert_network(IPSet([cidr]), _record(place))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.to_db_file(str(path))
    return path
