"""describe_edge_location: CloudFront POP codes to airport, city, country and coordinates."""

from __future__ import annotations

import pytest

from ingester.enrich.edge import METRO_CODES, EdgeLocation, _airports, describe_edge_location


@pytest.mark.parametrize(
    ("code", "airport", "city", "country"),
    [
        ("IAD89-C1", "IAD", "Washington", "US"),
        ("FRA2", "FRA", "Frankfurt am Main", "DE"),
        ("FRA56-P3", "FRA", "Frankfurt am Main", "DE"),
        ("LHR5", "LHR", "London", "GB"),
        ("DFW55-C1", "DFW", "Dallas-Fort Worth", "US"),
        ("HKG54-C1", "HKG", "Hong Kong", "HK"),
        ("ICN54-C3", "ICN", "Seoul", "KR"),
        ("SEA19-C1", "SEA", "Seattle", "US"),
        ("HIO50-C1", "HIO", "Portland", "US"),
    ],
)
def test_a_pop_code_is_placed_at_its_airport(code, airport, city, country):
    edge = describe_edge_location(code)
    assert (edge.code, edge.airport, edge.city, edge.country_code) == (code, airport, city, country)


def test_a_pop_has_the_coordinates_of_its_airport():
    edge = describe_edge_location("IAD89-C1")
    assert edge.latitude == pytest.approx(38.94, abs=0.05)
    assert edge.longitude == pytest.approx(-77.46, abs=0.05)


def test_a_city_code_is_placed_in_its_city_without_naming_an_airport():
    # CloudFront's Toronto POPs use YTO, a city code the airport table does not have.
    edge = describe_edge_location("YTO50-C1")
    assert (edge.airport, edge.city, edge.country_code) == (None, "Toronto", "CA")
    assert edge.latitude == pytest.approx(43.68, abs=0.05)


def test_every_city_code_has_its_main_airport_in_the_table():
    airports = _airports()
    assert all(main in airports for _, main in METRO_CODES.values())
    assert not set(METRO_CODES) & set(airports)  # else the airport would win


def test_an_empty_city_in_the_table_becomes_none():
    edge = describe_edge_location("FJR50-C1")  # Fujairah: the table has no city for it
    assert (edge.city, edge.country_code) == (None, "AE")


def test_a_lower_case_code_is_still_a_code():
    assert describe_edge_location("iad89-c1").city == "Washington"


@pytest.mark.parametrize("code", ["XYZ99-Q9", "", "-", "12AB", "IADX9"])
def test_an_unknown_or_odd_code_is_kept_with_nothing_else(code):
    assert describe_edge_location(code) == EdgeLocation(code, None, None, None, None, None)
