"""Dashboard benchmark: the database time of each dashboard's whole set of queries.

    python scripts/bench_dashboards.py --data DIR [--repeat 5]    # a kept database directory
    python scripts/bench_dashboards.py --url URL [--repeat 5]     # any edgelog database

`--data` is a database directory kept by `scripts/bench_views.py --work DIR` (for 10M
requests: DIR/pgdata-10000000); the embedded server is started on it. Every panel's and
variable's SQL of grafana/provisioning/dashboards/*.json is expanded as Grafana expands it
(All selected, bots off) and run as the read-only role, one after the other, for the
dashboards' default range (the last 7 days) and for 30 days, both ending at the newest data.
Prints, per dashboard and range, the median and the worst total over `--repeat` runs, and the
slowest queries.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from ingester.embedded import EmbeddedPostgres
from ingester.roles import become_reader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # Grafana's expansion rules, shared with the tests
from grafana_expansion import expand, interval_for  # noqa: E402

DASHBOARDS = ROOT / "grafana" / "provisioning" / "dashboards"
TARGET_MS = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="database URL")
    where.add_argument("--data", type=Path, help="data directory of an embedded server")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each dashboard")
    parser.add_argument("--only", nargs="*", default=(), help="these dashboards only")
    args = parser.parse_args()
    server = None
    url = args.url
    if args.data:
        server = EmbeddedPostgres(args.data, _free_port())
        url = server.ensure_running()
    try:
        results = run(url, args.repeat, args.only)
    finally:
        if server:
            server.stop()
    print(json.dumps(results, indent=2))
    return 0 if all(r["median_ms"] <= TARGET_MS for r in results["dashboards"]) else 1


def run(url: str, repeat: int, only=()) -> dict:
    with psycopg.connect(url, autocommit=True) as conn:
        become_reader(conn)
        newest = conn.execute("select max(day) from traffic_daily").fetchone()[0]
        requests = conn.execute(
            "select sum(requests) from requests_daily where device_type = '*'"
        ).fetchone()[0]
        end = datetime(newest.year, newest.month, newest.day, tzinfo=UTC) + timedelta(days=1)
        print(f"{requests:,} requests, newest day {newest}", flush=True)
        results = []
        for path in sorted(DASHBOARDS.glob("*.json")):
            if only and path.stem not in only:
                continue
            board = json.loads(path.read_text())
            for label, days in (("7 days", 7), ("30 days", 30)):
                results.append(
                    _dashboard(
                        conn, board, path.stem, label, (end - timedelta(days=days), end), repeat
                    )
                )
    return {"requests": int(requests), "newest_day": str(newest), "dashboards": results}


def _queries(board: dict):
    """(title, sql, panel) of every variable and panel query, in the order Grafana runs them."""
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            yield f"variable {variable['name']}", variable["query"], {}
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            if "rawSql" in target:  # not another panel's result, which costs no query
                yield panel["title"], target["rawSql"], panel


def _dashboard(conn, board, name, label, time_range, repeat) -> dict:
    time_from, time_to = time_range
    expanded = []
    for title, sql, panel in _queries(board):
        interval = interval_for(
            time_from, time_to, panel.get("maxDataPoints", 500), panel.get("interval") or "1m"
        )
        expanded.append(
            (
                title,
                expand(
                    sql,
                    variables=board["templating"]["list"],
                    selections={},
                    time_from=time_from,
                    time_to=time_to,
                    interval=interval,
                ),
            )
        )
    totals, per_query = [], {title: [] for title, _ in expanded}
    conn.execute(expanded[0][1])  # warm the cache once, as a dashboard opened before would
    for _ in range(repeat):
        total = 0.0
        for title, sql in expanded:
            started = time.perf_counter()
            conn.execute(sql).fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            per_query[title].append(elapsed)
            total += elapsed
        totals.append(total)
    slowest = sorted(((statistics.median(v), t) for t, v in per_query.items()), reverse=True)
    result = {
        "dashboard": name,
        "range": label,
        "queries": len(expanded),
        "median_ms": round(statistics.median(totals), 1),
        "worst_ms": round(max(totals), 1),
        "slowest": [f"{title}: {ms:.0f} ms" for ms, title in slowest[:3]],
    }
    print(
        f"{name:18} {label:8} {len(expanded):3} queries  median {result['median_ms']:7.1f} ms"
        f"  worst {result['worst_ms']:7.1f} ms  slowest: {', '.join(result['slowest'])}",
        flush=True,
    )
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
