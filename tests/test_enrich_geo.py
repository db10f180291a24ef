"""GeoLookup: places from a real .mmdb file; off, with one warning, without one."""

from __future__ import annotations

import logging

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from ingester.enrich import geo
from ingester.enrich.geo import GeoLookup, Location
from ingester.sample.geodb import Place, write_city_database

BERLIN = Place("DE", "Germany", "Land Berlin", "Berlin", 52.5244, 13.4105, 2950159)
TOKYO = Place("JP", "Japan", "Tokyo", "Tokyo", 35.6895, 139.6917, 1850147)


@pytest.fixture
def city_database(tmp_path):
    return write_city_database(
        tmp_path / "city.mmdb", {"198.51.100.0/24": BERLIN, "2001:db8::/32": TOKYO}
    )


@pytest.fixture
def fresh_warning(monkeypatch):
    """Let the once-per-process warning be logged again."""
    monkeypatch.setattr(geo, "_warned", False)


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("198.51.100.7", Location("DE", "Germany", "Land Berlin", "Berlin", 52.5244, 13.4105)),
        ("2001:db8::1", Location("JP", "Japan", "Tokyo", "Tokyo", 35.6895, 139.6917)),
        (
            "::ffff:198.51.100.7",
            Location("DE", "Germany", "Land Berlin", "Berlin", 52.5244, 13.4105),
        ),
    ],
    ids=["ipv4", "ipv6", "ipv4-mapped-ipv6"],
)
def test_an_address_in_a_city_database_gives_its_place(city_database, ip, expected):
    with GeoLookup(city_database) as lookup:
        assert lookup.enabled
        assert lookup.locate(ip) == expected


@pytest.mark.parametrize("ip", ["203.0.113.9", "2001:db9::1", "not an address", "", "-"])
def test_an_address_not_in_the_database_gives_none(city_database, ip):
    with GeoLookup(city_database) as lookup:
        assert lookup.locate(ip) is None


def test_a_country_database_gives_the_country_only(tmp_path):
    writer = MMDBWriter(
        ip_version=6, ipv4_compatible=True, database_type="GeoLite2-Country", languages=["en"]
    )
    country = {"iso_code": "DE", "names": {"en": "Germany"}}
    writer.insert_network(IPSet(["198.51.100.0/24"]), {"country": country})
    path = tmp_path / "country.mmdb"
    writer.to_db_file(str(path))
    with GeoLookup(path) as lookup:
        assert lookup.locate("198.51.100.7") == Location("DE", "Germany", None, None, None, None)


def test_a_closed_lookup_locates_nothing(city_database):
    lookup = GeoLookup(city_database)
    lookup.close()
    assert not lookup.enabled
    assert lookup.locate("198.51.100.7") is None


@pytest.mark.usefixtures("fresh_warning")
def test_without_a_database_lookups_are_off_with_one_warning_on_getting_geolite2(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger=geo.__name__)
    not_mmdb = tmp_path / "broken.mmdb"
    not_mmdb.write_bytes(b"this is not a MaxMind database")
    lookups = [GeoLookup(None), GeoLookup(tmp_path / "missing.mmdb"), GeoLookup(not_mmdb)]

    assert not any(lookup.enabled for lookup in lookups)
    assert all(lookup.locate("198.51.100.7") is None for lookup in lookups)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "GeoLite2" in message
    assert "EDGELOG_GEOIP_DB" in message
    assert "MaxMind account" in message


@pytest.mark.parametrize("database", ["missing.mmdb", "broken.mmdb"])
def test_a_bad_database_path_is_named_in_the_warning(tmp_path, caplog, fresh_warning, database):
    (tmp_path / "broken.mmdb").write_bytes(b"\x00" * 64)
    caplog.set_level(logging.WARNING, logger=geo.__name__)
    assert not GeoLookup(tmp_path / database).enabled
    [record] = caplog.records
    assert database in record.getMessage()


@pytest.mark.usefixtures("fresh_warning")
def test_no_address_is_ever_logged(city_database, caplog):
    caplog.set_level(logging.DEBUG)
    with GeoLookup(city_database) as lookup:
        for ip in ("198.51.100.7", "203.0.113.9", "2001:db9::1", "::ffff:203.0.113.9"):
            lookup.locate(ip)
    GeoLookup(None).locate("203.0.113.9")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for fragment in ("198.51.100", "203.0.113", "2001:db"):
        assert fragment not in logged
