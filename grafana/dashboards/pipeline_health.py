"""Pipeline health: is edgelog keeping up with the logs, and what went wrong on the way."""

from grafana import house, variables
from grafana.panels import stat, table, timeseries
from grafana.queries import pipeline_health as q

SOURCE_SQL = "select distinct source from ingest_hourly order by 1"
# Tables that list problems: on healthy data (or a range without problems) there is nothing
# to list, and they stay empty rather than show a made-up row (tests allow only these).
MAY_BE_EMPTY = {"Objects that failed to load", "Quarantine by reason"}

RANGE = "in the hours of the time range when the pipeline did the work (not when the requests "
RANGE += "were made)"
NO_SOURCE = "The Source filter does not apply (the view has no source)."
NOW = "The current state: the time range does not apply."


def source():
    return variables.query_variable(
        "source",
        "Source",
        SOURCE_SQL,
        description="Where the logs come from (an S3 prefix or a local path), every source "
        "ever loaded",
    )


dashboard = house.dashboard(
    __file__,
    title="Pipeline health",
    description="Whether edgelog keeps up with CloudFront's logs: ingest lag, objects and "
    "lines loaded, quarantined lines, failed objects and the refresh of the views. No site "
    "filter: the pipeline serves every site at once.",
    variables=[source()],
    panels=[
        stat(
            "Ingest lag",
            q.INGEST_LAG,
            at=(0, 0, 4, 4),
            unit="s",
            decimals=0,
            thresholds=["green", (7200, "orange"), (10800, "red")],
            description="Seconds from the end of the newest hour with requests (as last "
            "refreshed) to now; 0 within that hour. Red from 3 hours, the default of the "
            f"ingest lag alert (EDGELOG_ALERT_INGEST_LAG). {NOW} {NO_SOURCE}",
        ),
        stat(
            "Data as of",
            q.FRESHNESS,
            at=(4, 0, 8, 4),
            unit="dateTimeFromNow",
            description="The newest hour with requests in the views, when the last object "
            f"finished loading, and when the views were last refreshed. {NOW} {NO_SOURCE}",
        ),
        stat(
            "Failed objects",
            q.FAILED_COUNT,
            at=(12, 0, 4, 4),
            thresholds=["green", (1, "red")],
            description="Log objects whose load failed, now: those awaiting a retry and those "
            "that used up EDGELOG_MAX_ATTEMPTS (listed below, with their errors). "
            f"{NOW}",
        ),
        stat(
            "Quarantined lines",
            q.QUARANTINED_LINES,
            at=(16, 0, 4, 4),
            thresholds=["green", (1, "orange")],
            description=f"Lines that could not be read and were set aside, {RANGE}.",
        ),
        stat(
            "Database size",
            q.DATABASE_SIZE,
            at=(20, 0, 4, 4),
            unit="bytes",
            decimals=1,
            description="Size on disk of the whole edgelog database (pg_database_size): "
            f"requests, rollups, indexes, ledger and quarantine. {NOW} {NO_SOURCE}",
        ),
        timeseries(
            "Lines per hour",
            q.LINES,
            at=(0, 4, 12, 8),
            stacked=True,
            description=f"Lines of log objects, {RANGE}, stacked: loaded, duplicate (already "
            "stored, such as a re-delivered object) and quarantined; the top of the stack is "
            "the lines read. A bucket without objects shows 0.",
        ),
        timeseries(
            "Objects per hour",
            q.OBJECTS,
            at=(12, 4, 12, 8),
            stacked=True,
            bars=True,
            description=f"Log objects taken up, {RANGE}, stacked by their state now: loaded, "
            "failed, still loading (an object counts in the hour it finished, or began while "
            "loading). A bucket without objects shows 0.",
        ),
        timeseries(
            "Delivery delay",
            q.DELIVERY_DELAY,
            at=(0, 12, 12, 8),
            unit="s",
            description="Seconds from the start of the hour in an object's CloudFront name "
            "(<distribution>.YYYY-MM-DD-HH.<id>.gz) to when edgelog took it up, for objects "
            f"taken up {RANGE}: the highest of the bucket's hourly medians, and the maximum. "
            "Objects named otherwise have no delay; a bucket without any shows a gap.",
        ),
        table(
            "Quarantine by reason",
            q.QUARANTINE_BY_REASON,
            at=(12, 12, 12, 8),
            description=f"Lines quarantined {RANGE}, per reason and source, most first, with "
            "the last hour one was quarantined. Their text stays in the database, out of "
            "Grafana's reach. Empty when no line was quarantined.",
        ),
        table(
            "Objects that failed to load",
            q.FAILURES,
            at=(0, 20, 24, 8),
            description="Every log object whose load failed, newest first: its error, how "
            "many times it has been tried, and when `edgelog serve` tries it again (up to "
            f"EDGELOG_MAX_ATTEMPTS attempts). {NOW} Empty when nothing failed.",
        ),
        table(
            "View refreshes",
            q.REFRESHES,
            at=(0, 28, 24, 10),
            description="Per view, the last refresh that recomputed it: when it finished, "
            "how long that refresh took (ms, for all the views it recomputed together), "
            "whether it was incremental or a full rebuild, and the UTC days it recomputed "
            f"(count, first, last). {NOW} {NO_SOURCE}",
        ),
    ],
)
