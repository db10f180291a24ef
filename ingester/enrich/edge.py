"""CloudFront edge locations (POPs) by their code, e.g. "IAD89-C1" or "FRA2".

A code starts with the IATA code of the airport the POP is near; the number and
suffix tell the site and rack apart and are kept only in `code`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import airportsdata

_CODE = re.compile(r"([A-Za-z]{3})(?:\d|-|$)")

# IATA metropolitan-area codes, which name a city rather than an airport and so are
# not in the airport table. CloudFront uses YTO (Toronto); the others are here so
# a new POP under one of them still lands on the map. Code → (city, main airport).
METRO_CODES = {
    "YTO": ("Toronto", "YYZ"),
    "NYC": ("New York", "JFK"),
    "WAS": ("Washington", "IAD"),
    "CHI": ("Chicago", "ORD"),
    "LON": ("London", "LHR"),
    "PAR": ("Paris", "CDG"),
    "MIL": ("Milan", "MXP"),
    "ROM": ("Rome", "FCO"),
    "STO": ("Stockholm", "ARN"),
    "TYO": ("Tokyo", "NRT"),
    "OSA": ("Osaka", "KIX"),
    "SEL": ("Seoul", "ICN"),
    "SAO": ("São Paulo", "GRU"),
    "RIO": ("Rio de Janeiro", "GIG"),
    "BUE": ("Buenos Aires", "EZE"),
    "BJS": ("Beijing", "PEK"),
}


class EdgeLocation(NamedTuple):
    code: str  # the code as logged
    airport: str | None  # IATA code of the airport, e.g. "IAD"
    city: str | None
    country_code: str | None
    latitude: float | None
    longitude: float | None


def describe_edge_location(code: str) -> EdgeLocation:
    """Airport, city, country and coordinates of a POP; None for each one unknown."""
    match = _CODE.match(code)
    iata = match.group(1).upper() if match else ""
    airports = _airports()
    if iata in airports:
        return _at_airport(code, airports[iata])
    if iata in METRO_CODES and METRO_CODES[iata][1] in airports:
        city, main_airport = METRO_CODES[iata]
        # A city code names no one airport: only the city, placed at its main airport.
        return _at_airport(code, airports[main_airport])._replace(airport=None, city=city)
    return EdgeLocation(code, None, None, None, None, None)


def _at_airport(code: str, airport: tuple) -> EdgeLocation:
    return EdgeLocation(code, *airport)


@cache
def _airports() -> dict[str, tuple]:
    """IATA code → (airport, city, country, lat, lon), loaded on first use.

    Only these fields are kept: the whole table (about 8,000 airports, each a
    dict of ten fields) would hold 6 MB in every loader process.
    """
    return {
        iata: (a["iata"] or None, a["city"] or None, a["country"] or None, a["lat"], a["lon"])
        for iata, a in airportsdata.load("IATA").items()
    }
