"""Errors: which requests fail, how often, where and why."""

from grafana import house, variables
from grafana.panels import bars, link, row, stat, table, timeseries
from grafana.queries import errors as q

RANGE = "over the UTC days the time range touches"
HOURLY = "per time bucket (an hour or more, as the range allows)"
EVERY = "every request (pages, assets), bots only with the switch on"
ERROR = "an error is a response of class 4xx, 5xx or 000 (status 0: the viewer hung up)"


def _rate(title, sql, what, x, warn, alarm):
    return stat(
        title,
        sql,
        description=f"Requests {what} / all requests {RANGE}; {EVERY}.",
        at=(x, 0, 6, 4),
        unit="percentunit",
        decimals=2,
        thresholds=["green", (warn, "orange"), (alarm, "red")],
    )


def _headline() -> list:
    return [
        stat(
            "Errors",
            q.ERRORS,
            description=f"Error responses {RANGE} ({ERROR}), and their share of all "
            f"requests; {EVERY}.",
            at=(0, 0, 6, 4),
        ),
        _rate("4xx rate", q.RATE_4XX, "answered 4xx", 6, 0.05, 0.1),
        _rate("5xx rate", q.RATE_5XX, "answered 5xx", 12, 0.01, 0.05),
        _rate("Viewer hang-ups (000)", q.RATE_000, "with status 0 (000)", 18, 0.01, 0.05),
    ]


def _over_time(y: int) -> list:
    return [
        row("Over time", y),
        timeseries(
            "Status classes",
            q.STATUS_CLASSES_OVER_TIME,
            description=f"Requests {HOURLY} per status class (2xx, 3xx, 4xx, 5xx, 000), "
            f"stacked; {EVERY}.",
            at=(0, y + 1, 12, 8),
            stacked=True,
        ),
        timeseries(
            "Error rates",
            q.ERROR_RATES_OVER_TIME,
            description=f"{HOURLY}: requests answered 4xx, 5xx and 000 / all requests of "
            f"the bucket; {EVERY}.",
            at=(12, y + 1, 12, 8),
            unit="percentunit",
        ),
    ]


def _where(y: int) -> list:
    edge = link(
        "Open the edge location in CDN performance",
        house.uid("cdn_performance.py"),
        "edge",
        "Edge",
        keep=("site", "bots"),
    )
    return [
        row("Where and why", y),
        table(
            "Top error paths",
            q.TOP_ERROR_PATHS,
            description=f"The {q.TOP_PATHS} path and status pairs with most error responses "
            f"{RANGE} ({ERROR}), and the referrer (domain and path) that sent most of them; "
            f"(none) when no referrer was sent. {EVERY}.",
            at=(0, y + 1, 16, 10),
        ),
        bars(
            "Error statuses",
            q.ERROR_STATUSES,
            description=f"Error responses {RANGE} per status code (000: the viewer hung up), "
            f"the 15 most frequent; {EVERY}.",
            at=(16, y + 1, 8, 10),
        ),
        table(
            "Errors by edge location",
            q.ERRORS_BY_EDGE,
            description=f"The {q.TOP_EDGES} CloudFront edge locations with most error "
            f"responses {RANGE}: requests, 4xx, 5xx and 000 responses, and errors / requests; "
            f"{EVERY}. Click an edge to open it in CDN performance.",
            at=(0, y + 11, 14, 9),
            links=[edge],
        ),
        table(
            "Errors by detailed result type",
            q.ERRORS_BY_RESULT_TYPE,
            description=f"Error responses {RANGE} per x-edge-detailed-result-type (why "
            "CloudFront answered so: Error, ClientCommError, OriginConnectError…), split by "
            f"status class; {EVERY}.",
            at=(14, y + 11, 10, 9),
        ),
    ]


dashboard = house.dashboard(
    __file__,
    title="Errors",
    description="Error responses of CloudFront (4xx, 5xx, and 000 when the viewer hung up): "
    "rates, paths, edge locations and causes, from its access logs.",
    variables=[variables.site(), variables.bots()],
    panels=_headline() + _over_time(4) + _where(13),
)
