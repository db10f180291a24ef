"""SQL of the Pipeline health dashboard (grafana/dashboards/pipeline_health.py).

The ingest views carry no site, device or country: only the `source` the logs come from.
Their hours are when the pipeline worked (an object loaded, a line quarantined), not when the
requests were made.
"""

from grafana.queries.common import HOURS
from grafana.variables import matches

SOURCE = matches("source", "source")
# The panel's bucket in seconds, as $__timeGroup(hour, $__interval) computes it.
STEP = "($__interval_ms / 1000)"


def _over_time(view: str, columns: dict[str, str], fill: str = "0") -> str:
    """`columns` (label: aggregate over `view`) per time bucket of the range, every bucket
    present: an hour when nothing was loaded is a 0, which is what this dashboard is for
    (`fill` is what an empty bucket shows; null leaves a gap). Buckets start at the first
    whole one: the hours before the range's start are not read, so a partial first bucket
    would look like a stall."""
    sums = ",\n           ".join(f'{expr} as "{label}"' for label, expr in columns.items())
    shown = ", ".join(f'coalesce("{label}", {fill}) as "{label}"' for label in columns)
    return f"""
    with buckets as (
        select generate_series(
            ceil(extract(epoch from $__timeFrom()::timestamptz) / {STEP}) * {STEP},
            extract(epoch from $__timeTo()::timestamptz),
            {STEP}
        ) as time
    ),
    per_bucket as (
        select $__timeGroup(hour, $__interval) as time,
               {sums}
        from {view}
        where {HOURS} and {SOURCE}
        group by 1
    )
    select time, {shown}
    from buckets left join per_bucket using (time)
    order by time
    """


INGEST_LAG = """
select ingest_lag_s as "Ingest lag" from ingest_lag
"""
# Epoch milliseconds: what Grafana's date units read.
FRESHNESS = """
select date_part('epoch', newest_request_hour) * 1000 as "Newest request hour",
       date_part('epoch', last_loaded_at) * 1000 as "Last loaded",
       date_part('epoch', last_refreshed_at) * 1000 as "Last refreshed"
from ingest_lag
"""
FAILED_COUNT = f"""
select count(*)::bigint as "Failed objects" from ingest_failures where {SOURCE}
"""
QUARANTINED_LINES = f"""
select coalesce(sum(lines_quarantined), 0)::bigint as "Quarantined lines"
from ingest_hourly where {HOURS} and {SOURCE}
"""
# A function, not a relation: the reader may call it, and it reads no table.
DATABASE_SIZE = """
select pg_database_size(current_database()) as "Database size"
"""
LINES = _over_time(
    "ingest_hourly",
    {
        "Loaded": "sum(lines_loaded)::bigint",
        "Duplicate": "sum(lines_duplicate)::bigint",
        "Quarantined": "sum(lines_quarantined)::bigint",
    },
)
OBJECTS = _over_time(
    "ingest_hourly",
    {
        "Loaded": "(sum(objects) filter (where status = 'loaded'))::bigint",
        "Failed": "(sum(objects) filter (where status = 'failed'))::bigint",
        "Loading": "(sum(objects) filter (where status = 'loading'))::bigint",
    },
)
DELIVERY_DELAY = _over_time(
    "ingest_hourly",
    {
        "Highest hourly median": "max(delivery_delay_p50_s)",
        "Max": "max(delivery_delay_max_s)",
    },
    fill="null",
)
QUARANTINE_BY_REASON = f"""
select reason as "Reason", source as "Source", sum(lines)::bigint as "Lines",
       max(hour) as "Last hour"
from quarantine_hourly
where {HOURS} and {SOURCE}
group by reason, source
order by 3 desc, 1, 2
"""
FAILURES = f"""
select source as "Source", key as "Object", error as "Error", attempts as "Attempts",
       finished_at as "Failed at", retry_at as "Retry after"
from ingest_failures
where {SOURCE}
order by finished_at desc nulls last, key
"""
# The days as a count and their first and last, not the whole list (a rebuild has hundreds).
REFRESHES = """
select view_name as "View", refreshed_at as "Refreshed at", duration_ms as "Duration ms",
       case when full_rebuild then 'full rebuild' else 'incremental' end as "Kind",
       count(day) as "Days", min(day) as "First day", max(day) as "Last day"
from refresh_status left join unnest(days) as day on true
group by view_name, refreshed_at, duration_ms, full_rebuild
order by view_name
"""
