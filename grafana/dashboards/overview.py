"""Overview: the Plausible-like home page, with a strip of CDN health."""

from grafana import house, variables
from grafana.panels import geomap, link, pie, stat, table, timeseries
from grafana.queries import overview as q

FILTERS = ("site", "device", "country", "channel", "bots")
RANGE = "over the UTC days the time range touches"
CHANGE = "; below it, the change against the period of equal length just before"


def _headline(title, sql, description, x, unit="short", decimals=None):
    return stat(
        title,
        sql,
        description=description + CHANGE + ".",
        at=(x, 0, 4, 4),
        unit=unit,
        decimals=decimals,
    )


dashboard = house.dashboard(
    __file__,
    title="Overview",
    description="Visitors, visits and pages of your sites, and the CDN's health, from "
    "CloudFront access logs.",
    variables=[
        variables.site(),
        variables.device(),
        variables.country(),
        variables.channel(),
        variables.bots(),
    ],
    panels=[
        _headline(
            "Visitors",
            q.VISITORS,
            f"Unique visitors (distinct visitor ids with a page "
            f"view) {RANGE}; a visitor counts once however many days they came",
            0,
        ),
        _headline(
            "Visits",
            q.VISITS,
            f"Visits begun {RANGE} (runs of page views at most 30 minutes apart)",
            4,
        ),
        _headline(
            "Page views",
            q.PAGEVIEWS,
            f"Page views {RANGE} (HTML pages answered 2xx or 304 to people, never assets or bots)",
            8,
        ),
        _headline(
            "Views per visit", q.VIEWS_PER_VISIT, f"Page views / visits {RANGE}", 12, decimals=2
        ),
        _headline(
            "Bounce rate",
            q.BOUNCE_RATE,
            f"Visits of a single page view / visits {RANGE}",
            16,
            unit="percentunit",
            decimals=1,
        ),
        _headline(
            "Visit duration",
            q.VISIT_DURATION,
            "Mean time from a visit's first to its "
            f"last page view (0 for a bounce), over the visits begun {RANGE}",
            20,
            unit="s",
            decimals=0,
        ),
        timeseries(
            "Visitors and page views",
            q.VISITORS_OVER_TIME,
            description="Per time bucket (an hour or more, as the range allows): "
            "unique visitors with a page view in the bucket (exact: unions of hourly "
            "visitor sets), and page views in it.",
            at=(0, 4, 24, 8),
        ),
        table(
            "Top pages",
            q.TOP_PAGES,
            at=(0, 12, 12, 9),
            description=f"The 10 pages with most page views {RANGE}; entries and exits "
            "are visits that began and ended on the page. Click a page to open it in "
            "Pages.",
            links=[
                link("Open the page in Pages", house.uid("pages.py"), "page", "Page", keep=FILTERS)
            ],
        ),
        table(
            "Top channels",
            q.TOP_CHANNELS,
            at=(12, 12, 6, 9),
            description=f"Visits begun {RANGE} per acquisition channel "
            "(of the visit's first page view), with their bounce rate.",
        ),
        table(
            "Top referrers",
            q.TOP_REFERRERS,
            at=(18, 12, 6, 9),
            description=f"Visits begun {RANGE} per referring domain (of the visit's "
            "first page view); visits without a referrer are left out.",
        ),
        geomap(
            "Countries",
            q.COUNTRIES,
            at=(0, 21, 12, 10),
            value="visitors",
            description=f"Unique visitors {RANGE} per country (ISO code from the "
            "client address; the address itself is never stored). The channel filter does "
            "not apply (countries are counted over every channel). Click a country to open "
            "Audience for it.",
            links=[
                link(
                    "Open the country in Audience",
                    house.uid("audience.py"),
                    "country",
                    "country_code",
                    keep=("site", "device"),
                )
            ],
        ),
        pie(
            "Devices",
            q.DEVICES,
            at=(12, 21, 12, 10),
            description=f"Visits begun {RANGE} per device type of their first page view.",
        ),
        stat(
            "Requests",
            q.REQUESTS,
            at=(0, 31, 6, 4),
            description=f"Every request CloudFront logged {RANGE}: pages, assets, errors "
            "(bots only with the switch on). Device and country apply; channel does not "
            "(a request has none, only a visit does).",
        ),
        stat(
            "Cache hit ratio",
            q.HIT_RATIO,
            at=(6, 31, 6, 4),
            unit="percentunit",
            decimals=1,
            thresholds=["red", (0.5, "orange"), (0.8, "green")],
            description=f"Hit and RefreshHit / (Hit, RefreshHit and Miss) requests {RANGE}; "
            "errors and redirects are neither. Device, country and the bots switch apply; "
            "channel does not.",
        ),
        stat(
            "5xx rate",
            q.ERROR_RATE_5XX,
            at=(12, 31, 6, 4),
            unit="percentunit",
            decimals=2,
            thresholds=["green", (0.01, "orange"), (0.05, "red")],
            description=f"Requests answered 5xx / all requests {RANGE}, with the bots "
            "switch; device, country and channel do not apply (status counts are kept per "
            "site, see Errors).",
        ),
        stat(
            "p95 time taken",
            q.TIME_TAKEN_P95,
            at=(18, 31, 6, 4),
            unit="ms",
            decimals=0,
            thresholds=["green", (500, "orange"), (2000, "red")],
            description=f"95th percentile of time-taken (ms) over every request {RANGE}, "
            "bots included, read from histograms within 1 %. No filter but the site applies "
            "(latency is kept per site, see CDN performance).",
        ),
    ],
)
