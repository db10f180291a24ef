"""Audience: who the visitors are: where they are, and what they browse with."""

from grafana import house, variables
from grafana.panels import bars, geomap, link, pie, row, table, timeseries
from grafana.queries import audience as q

RANGE = "over the UTC days the time range touches"
EXACT = (
    "Unique visitors (exact: unions of visitor sets), for the chosen devices and countries. "
    "Visitor sets are kept for every channel, so there is no channel filter here."
)
FROM_ADDRESS = "from the client address (the address itself is never stored)"
FROM_AGENT = "from the user agent of their page views"
# Clicking a country narrows this very dashboard to it.
THIS_COUNTRY_MAP = link(
    "Show only this country",
    house.uid(__file__),
    "country",
    "country_code",
    keep=("site", "device"),
)


def _agents(title, sql, what, at, chart=False):
    """Browsers or systems: a bar chart of the names, a table of the versions."""
    build = bars if chart else table
    return build(title, sql, description=f"{EXACT} Per {what} {FROM_AGENT} {RANGE}.", at=at)


dashboard = house.dashboard(
    __file__,
    title="Audience",
    description="Unique visitors by country, region and city, and by device, browser and "
    "operating system (with versions).",
    variables=[variables.site(), variables.device(), variables.country()],
    panels=[
        timeseries(
            "Visitors over time",
            q.VISITORS_OVER_TIME,
            description=f"{EXACT} Per time bucket (an hour or more, as the range allows): "
            "the visitors with a page view in the bucket.",
            at=(0, 0, 24, 7),
            interval="1h",
        ),
        row("Places", 7),
        geomap(
            "Countries map",
            q.COUNTRY_MAP,
            description=f"{EXACT} Per country (ISO code {FROM_ADDRESS}) {RANGE}; unknown "
            "countries are left out. Click a country to show only it.",
            at=(0, 8, 16, 11),
            links=[THIS_COUNTRY_MAP],
        ),
        table(
            "Countries",
            None,
            same_as="Countries map",
            columns={"country_code": "Country", "visitors": "Visitors"},
            description=f"{EXACT} Per country (ISO code {FROM_ADDRESS}) {RANGE}; unknown "
            "countries are left out: the map's figures, not queried twice. Click a country to "
            "show only it.",
            at=(16, 8, 8, 11),
            links=[THIS_COUNTRY_MAP],
        ),
        geomap(
            "Cities map",
            q.CITY_MAP,
            description=f"{EXACT} Per city {FROM_ADDRESS} {RANGE}, placed at the city's "
            "coordinates, the 300 largest; places without coordinates are left out.",
            at=(0, 19, 16, 11),
            by_country=False,
        ),
        table(
            "Cities",
            None,
            same_as="Cities map",
            columns={
                "city": "City",
                "region": "Region",
                "country": "Country",
                "visitors": "Visitors",
            },
            hidden=("latitude", "longitude"),
            description=f"{EXACT} Per city {FROM_ADDRESS} {RANGE}, with its region and "
            "country, the 300 largest with coordinates: the map's figures, not queried twice.",
            at=(16, 19, 8, 11),
        ),
        table(
            "Regions",
            q.REGIONS,
            description=f"{EXACT} Per region (state, province…) {FROM_ADDRESS} {RANGE}, "
            "with its country, the 50 largest.",
            at=(0, 30, 12, 9),
        ),
        pie(
            "Devices",
            q.DEVICES,
            description=f"{EXACT} Per device type {FROM_AGENT} {RANGE}.",
            at=(12, 30, 12, 9),
        ),
        row("Technology", 39),
        _agents("Browsers", q.BROWSERS, "browser", (0, 40, 12, 9), chart=True),
        _agents("Operating systems", q.SYSTEMS, "operating system", (12, 40, 12, 9), chart=True),
        _agents("Browser versions", q.BROWSER_VERSIONS, "browser and version", (0, 49, 12, 10)),
        _agents("OS versions", q.SYSTEM_VERSIONS, "operating system and version", (12, 49, 12, 10)),
    ],
)
