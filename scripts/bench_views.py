"""Metrics benchmark: query latency of the views, incremental refresh, full rebuild, sizes.

    python scripts/bench_views.py [--lines 1000000,10000000] [--days 30] [--work DIR]

For each size, generates that many lines of sample traffic over `--days` days,
loads all but the last hour into a fresh embedded database and rebuilds the
metrics (`refresh --full`), then:
- query latency: every query the report and the dashboards run on the views, for
  the last 30 days and the last 7 days, p95 over `--repeat` runs;
- incremental cost: loads the held-back hour and refreshes what it touched;
- full rebuild time, and the size of the rollups and views against `requests`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psycopg

from ingester import migrate
from ingester.embedded import EmbeddedPostgres
from ingester.ingest import ingest
from ingester.metrics import report
from ingester.metrics.refresh import refresh
from ingester.progress import LogProgress
from ingester.sample.generator import generate
from ingester.settings import Settings

HOURS = (
    "hour >= %(from)s and hour < %(to)s::date + 1 and (%(site)s::text is null or site = %(site)s)"
)


def _percentiles(view: str, column: str, group: str, where: str, order: str = "1") -> str:
    """p50, p95 and p99 of a latency histogram per `group`, merged over the rows in range."""
    quantiles = ", ".join(
        f"latency_quantile(array_agg(bucket), array_agg(n), {q})" for q in (0.5, 0.95, 0.99)
    )
    return f"""
        select {group}, {quantiles} from (
            select {group}, bucket, sum(n) as n
            from {view}, unnest({column}_buckets, {column}_counts) as h(bucket, n)
            where {where} group by {group}, bucket
        ) as merged
        group by {group} order by {order}
    """


# The CDN, error, bot and pipeline-health views (sql_views/README.md).
CDN_QUERIES = {
    "requests and bytes by result type per hour": f"""
        select hour, result_type, sum(requests), sum(bytes) from results_hourly
        where {HOURS} group by 1, 2 order by 1, 2
    """,
    "requests by response and detailed result type": f"""
        select response_result_type, detailed_result_type, sum(requests), sum(bytes)
        from results_daily where {report.IN_RANGE} group by 1, 2 order by 3 desc
    """,
    "status classes per hour": f"""
        select hour, status_class, sum(requests) from results_hourly
        where {HOURS} group by 1, 2 order by 1, 2
    """,
    "status codes per day": f"""
        select day, status, sum(requests) from results_daily
        where {report.IN_RANGE} group by 1, 2 order by 1, 2
    """,
    "4xx and 5xx rates per day": f"""
        select day, sum(requests) filter (where status_class = '4xx')::float / sum(requests),
               sum(requests) filter (where status_class = '5xx')::float / sum(requests)
        from results_daily where {report.IN_RANGE} group by 1 order by 1
    """,
    "headline error rates": report.STATUSES,
    "content types, protocols, TLS, methods": f"""
        select content_type, http_version, tls_protocol, tls_cipher, method, sum(requests)
        from protocols_daily where {report.IN_RANGE} group by 1, 2, 3, 4, 5 order by 6 desc
    """,
    "incomplete downloads and range requests": f"""
        select day, sum(requests) filter (where is_incomplete),
               sum(bytes) filter (where is_incomplete), sum(requests) filter (where is_range)
        from results_daily where {report.IN_RANGE} group by 1 order by 1
    """,
    "errors by detailed result type": f"""
        select detailed_result_type, sum(requests) from results_daily
        where {report.IN_RANGE} and status_class in ('4xx', '5xx', '000')
        group by 1 order by 2 desc limit 20
    """,
    "errors by edge location": f"""
        select edge_location, sum(status_4xx), sum(status_5xx), sum(status_000) from edges_daily
        where {report.IN_RANGE} group by 1 order by 3 desc
    """,
    "origin offload per hour": f"""
        select hour, sum(cache_hit_bytes)::float / nullif(sum(bytes), 0),
               sum(cache_lookup_bytes - cache_hit_bytes)
        from requests_hourly where {HOURS} and {report.ANY_PLACE} group by 1 order by 1
    """,
    "hit ratio per path": f"""
        select path, sum(requests), sum(cache_hits)::float / nullif(sum(cache_lookups), 0),
               sum(cache_hit_bytes)::float / nullif(sum(cache_lookup_bytes), 0)
        from path_performance_daily where {report.IN_RANGE}
        group by 1 order by 2 desc limit 20
    """,
    "edge locations with hit ratio and p95": report.EDGES,
    "edge map: requests, hit ratio per edge": f"""
        select edge_location, airport, city, country_code, latitude, longitude, sum(requests),
               sum(bytes), sum(cache_hits)::float / nullif(sum(cache_lookups), 0)
        from edges_daily where {report.IN_RANGE} group by 1, 2, 3, 4, 5, 6
    """,
    "time taken p95 over the range": report.LATENCY.format(
        buckets="time_taken_buckets", counts="time_taken_counts"
    ),
    "ttfb p95 over the range": report.LATENCY.format(buckets="ttfb_buckets", counts="ttfb_counts"),
    "time taken and ttfb p50/p95/p99 per hour": f"""
        select hour, time_taken_p50_ms, time_taken_p95_ms, time_taken_p99_ms, ttfb_p50_ms,
               ttfb_p95_ms, ttfb_p99_ms
        from latency_hourly where {HOURS} order by hour
    """,
    "time taken and ttfb p50/p95/p99 per day": f"""
        select day, time_taken_p50_ms, time_taken_p95_ms, time_taken_p99_ms, ttfb_p50_ms,
               ttfb_p95_ms, ttfb_p99_ms
        from latency_daily where {report.IN_RANGE} order by day
    """,
    "time taken p50/p95/p99 per hour, bots only": _percentiles(
        "edges_hourly", "time_taken", "hour", f"{HOURS} and is_bot"
    ),
    "time taken p50/p95/p99 per edge": _percentiles(
        "edges_daily", "time_taken", "edge_location", report.IN_RANGE
    ),
    "slowest paths by p95": _percentiles(
        "path_performance_daily", "time_taken", "path_id", report.IN_RANGE, "3 desc limit 10"
    ),
    "top error paths": report.TOP_ERRORS,
    "bots with clients": report.BOTS,
    "bots by category per day": f"""
        select day, category, sum(requests), sum(bytes) from bots_daily
        where {report.IN_RANGE} group by 1, 2 order by 1, 2
    """,
    "top bot paths": f"""
        select bot_name, path, sum(requests) from bot_paths_daily where {report.IN_RANGE}
        group by 1, 2 order by 3 desc limit 10
    """,
    "bot share per site": f"""
        select site, sum(requests) filter (where is_bot)::float / sum(requests)
        from requests_daily where {report.IN_RANGE} and {report.ANY_PLACE} group by 1
    """,
    "ingest per hour": "select * from ingest_hourly order by hour desc limit 720",
    "quarantine by reason": "select reason, sum(lines) from quarantine_hourly group by 1",
    "failed objects": "select * from ingest_failures",
    "ingest lag": "select * from ingest_lag",
    "refresh status": "select * from refresh_status",
}
FILE_HOUR = re.compile(r"\.(\d{4}-\d{2}-\d{2}-\d{2})\.")
# What the dashboards ask of the views: %(site)s is NULL (every site), %(from)s/%(to)s days.
FUNNELS = """\
funnels:
  - name: Shop
    steps: [/, /collections/*, /products/*, /cart]
  - name: Trial
    steps: [/pricing, /signup*]
"""
ENGAGEMENT_QUERIES = {
    "visit durations": f"""
        select duration_bucket, duration, sum(visits) from visit_durations_daily
        where {report.IN_RANGE} and {report.EVERYONE} group by 1, 2 order by 1
    """,
    "visit depths": f"""
        select depth_bucket, pages, sum(visits) from visit_depths_daily
        where {report.IN_RANGE} and {report.EVERYONE} group by 1, 2 order by 1
    """,
    "journey edges (node graph)": f"""
        select from_path_id || '>' || to_path_id as id, from_path_id::text as source,
               to_path_id::text as target, sum(transitions) as mainstat
        from transitions_daily where {report.IN_RANGE} and {report.ANY_CHANNEL}
        group by from_path_id, to_path_id order by mainstat desc limit 50
    """,
    "journey nodes (node graph)": f"""
        select path_id::text as id, path as title, sum(pageviews) as mainstat
        from pages_daily where {report.IN_RANGE} and {report.EVERYONE}
        group by path_id, path order by mainstat desc limit 50
    """,
    "three-page paths": f"""
        select first_path, second_path, third_path, sum(occurrences) from path_triples_daily
        where {report.IN_RANGE} and {report.ANY_CHANNEL} group by 1, 2, 3 order by 4 desc limit 10
    """,
    "cohort retention": """
        select cohort_week, weeks_since, sum(visitors) from cohorts_weekly
        where cohort_week >= %(from)s::date - 84 and (%(site)s::text is null or site = %(site)s)
        group by 1, 2 order by 1, 2
    """,
    "funnel steps": f"""
        select funnel, step, pattern, sum(bit_count(v)) from (
            select funnel, step, pattern, site, chunk, bit_or(visitors) as v from funnels_daily
            where {report.IN_RANGE} and channel = '*' group by 1, 2, 3, 4, 5) as per_chunk
        group by 1, 2, 3 order by 1, 2
    """,
}
QUERIES = {
    "headline traffic": report.TRAFFIC,
    "headline visitors": report.VISITORS,
    "headline requests": report.REQUESTS,
    "top pages with visitors": report.TOP_PAGES,
    "channels with visitors": report.CHANNELS,
    "countries with visitors": report.AUDIENCE.replace("%(kind)s", "'country'"),
    "browsers with visitors": report.AUDIENCE.replace("%(kind)s", "'browser_version'"),
    "cities with visitors": report.AUDIENCE.replace("%(kind)s", "'city'"),
    "visitors per day": f"""
        select day, sum(bit_count(visitors)) from (
            select day, site, chunk, bit_or(visitors) as visitors from visitors_daily
            where {report.IN_RANGE} and {report.ANY_CHANNEL} group by 1, 2, 3) as d
        group by day order by day
    """,
    "visitors per hour": f"""
        select hour, sum(bit_count(visitors)) from (
            select hour, site, chunk, bit_or(visitors) as visitors from visitors_hourly
            where hour >= %(from)s and hour < %(to)s::date + 1 and {report.ANY_CHANNEL}
            group by 1, 2, 3) as h
        group by hour order by hour
    """,
    "visitors, mobile from search": f"""
        with searched as (
            select site, chunk, bit_or(visitors) as v from visitors_daily
            where {report.IN_RANGE} and channel = 'Organic Search' group by 1, 2),
        mobile as (
            select site, chunk, bit_or(visitors) as v from audience_visitors_daily
            where {report.IN_RANGE} and kind = 'device' and value = 'mobile' group by 1, 2)
        select sum(bit_count(searched.v & mobile.v)) from searched join mobile using (site, chunk)
    """,
    "page views per hour": f"""
        select hour, sum(pageviews), sum(visits) from traffic_hourly
        where hour >= %(from)s and hour < %(to)s::date + 1 and {report.EVERYONE}
        group by hour order by hour
    """,
    "requests and hit ratio per hour": f"""
        select hour, sum(requests), sum(cache_hits)::float / nullif(sum(cache_lookups), 0)
        from requests_hourly where hour >= %(from)s and hour < %(to)s::date + 1
          and {report.ANY_PLACE}
        group by hour order by hour
    """,
    "entry pages": f"""
        select path, sum(entries) from pages_daily where {report.IN_RANGE} and {report.EVERYONE}
        group by path order by 2 desc limit 10
    """,
    "referrer domains with visitors": f"""
        select value, sum(bit_count(visitors)) from (
            select value, site, chunk, bit_or(visitors) as visitors from source_visitors_daily
            where {report.IN_RANGE} and kind = 'referrer_domain'
            group by 1, 2, 3) as r
        group by value order by 2 desc limit 10
    """,
    "top pages, mobile from Germany": f"""
        with ranked as (
            select path_id, sum(pageviews) from pages_daily
            where {report.IN_RANGE} and device_type = 'mobile' and country_code = 'DE'
            group by path_id order by 2 desc limit 10),
        viewed as (
            select path_id, site, chunk, bit_or(visitors) as v from page_visitors_daily
            where {report.IN_RANGE} and channel = '*' and path_id in (select path_id from ranked)
            group by 1, 2, 3),
        mobile as (
            select site, chunk, bit_or(visitors) as v from audience_visitors_daily
            where {report.IN_RANGE} and kind = 'device' and value = 'mobile' group by 1, 2),
        german as (
            select site, chunk, bit_or(visitors) as v from audience_visitors_daily
            where {report.IN_RANGE} and kind = 'country' and value = 'DE' group by 1, 2)
        select path_id, sum(bit_count(viewed.v & mobile.v & german.v))
        from viewed join mobile using (site, chunk) join german using (site, chunk)
        group by path_id
    """,
    "utm campaigns": f"""
        select utm_campaign, sum(visits) from sources_daily
        where {report.IN_RANGE} and {report.ANY_PLACE} and utm_campaign <> ''
        group by 1 order by 2 desc limit 10
    """,
    "not found paths": f"""
        select path, referrer, sum(requests) from not_found_daily where {report.IN_RANGE}
        group by 1, 2 order by 3 desc limit 10
    """,
    **CDN_QUERIES,
    **ENGAGEMENT_QUERIES,
}
ROLLUPS = """
    select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
    where c.relkind = %s and c.relname = any(%s)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", default="1000000,10000000", help="sizes, comma-separated")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    parser.add_argument("--work", type=Path, help="directory for logs and databases (kept)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="edgelog-bench-views-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    results = {}
    try:
        for lines in (int(n) for n in args.lines.split(",")):
            results[lines] = run(lines, args, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2))
    return 0


def run(lines: int, args, work: Path) -> dict:
    sample = _sample(work / f"sample-{lines}", lines, args.days)
    files = sorted(Path(sample["log_dir"]).glob("*.gz"))
    last_hour = max(FILE_HOUR.search(p.name).group(1) for p in files)
    history, hour = _split(work / f"split-{lines}", files, last_hour)
    print(f"\n{lines:,} lines over {args.days} days; held back the hour {last_hour}", flush=True)
    shutil.rmtree(work / f"pgdata-{lines}", ignore_errors=True)
    server = EmbeddedPostgres(work / f"pgdata-{lines}", _free_port())
    url = server.ensure_running()
    funnels = work / "funnels.yaml"
    funnels.write_text(FUNNELS)
    settings = Settings.from_env(
        {"EDGELOG_GEOIP_DB": sample["geoip_db"], "EDGELOG_FUNNELS": str(funnels)}
    )
    try:
        migrate.upgrade(url)
        loaded = ingest([str(history)], settings, url, LogProgress())
        print(f"loaded {loaded.lines_loaded:,} lines in {loaded.seconds:.0f} s", flush=True)
        full = refresh(url, full=True, settings=settings)
        print(f"full rebuild: {full.seconds:.1f} s, {full.rows:,} rollup rows", flush=True)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("vacuum analyze")
            latency = _latency(conn, args.repeat)
        added = ingest([str(hour)], settings, url, LogProgress())
        incremental = refresh(url, settings=settings)
        print(
            f"one more hour: {added.lines_loaded:,} lines loaded in {added.seconds:.1f} s, "
            f"refreshed in {incremental.seconds:.2f} s ({len(incremental.days)} days, "
            f"{incremental.rows:,} rollup rows)",
            flush=True,
        )
        sizes = _sizes(url)
    finally:
        server.stop()
    return {
        "requests": loaded.lines_loaded + added.lines_loaded,
        "full_rebuild_s": round(full.seconds, 2),
        "incremental_hour_lines": added.lines_loaded,
        "incremental_refresh_s": round(incremental.seconds, 2),
        "latency_p95_ms": latency,
        **sizes,
    }


def _sample(directory: Path, lines: int, days: int) -> dict:
    marker = directory / "sample.json"
    if not marker.exists():
        made = generate(directory, days=days, lines=lines, seed=11)
        marker.write_text(
            json.dumps({"log_dir": str(made.log_dir), "geoip_db": str(made.geoip_db)})
        )
    return json.loads(marker.read_text())


def _split(directory: Path, files: list[Path], last_hour: str) -> tuple[Path, Path]:
    """Hard links of the history and of the last hour's files, in two directories."""
    history, hour = directory / "history", directory / "hour"
    if not hour.exists():
        shutil.rmtree(directory, ignore_errors=True)
        history.mkdir(parents=True)
        hour.mkdir()
        for path in files:
            target = hour if FILE_HOUR.search(path.name).group(1) == last_hour else history
            (target / path.name).hardlink_to(path)
    return history, hour


def _latency(conn: psycopg.Connection, repeat: int) -> dict:
    last = report.default_period(conn, None, days=1).last
    figures = {}
    for days in (30, 7):
        params = {"site": None, "from": last - timedelta(days=days - 1), "to": last, "limit": 10}
        for name, query in QUERIES.items():
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                conn.execute(query, params).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
            p95 = statistics.quantiles(timings, n=20)[-1] if repeat > 1 else timings[0]
            figures[f"{name} ({days} days)"] = round(p95, 1)
            print(f"  {days:2d} days  {p95:7.1f} ms  {name}", flush=True)
    return figures


def _sizes(url: str) -> dict:
    from ingester.metrics import rollups, views

    with psycopg.connect(url) as conn:
        facts = conn.execute(
            "select sum(pg_total_relation_size(inhrelid)) from pg_inherits"
            " where inhparent = 'requests'::regclass"
        ).fetchone()[0]
        rollup_tables = [*rollups.ALL, "visits", "visitor_numbers"]
        rollup = conn.execute(ROLLUPS, ["r", rollup_tables]).fetchone()[0]
        view = conn.execute(ROLLUPS, ["m", list(views.names())]).fetchone()[0]
    sizes = {"requests_mb": facts, "rollups_mb": rollup, "views_mb": view}
    sizes = {name: round(int(size) / 1e6) for name, size in sizes.items()}
    print(
        f"sizes: requests {sizes['requests_mb']} MB, rollups and visits {sizes['rollups_mb']} MB, "
        f"views {sizes['views_mb']} MB",
        flush=True,
    )
    return sizes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
