"""Ingest benchmark: end-to-end lines/s, peak memory and bytes per row, against GoAccess.

    python scripts/bench_ingest.py [--lines 1000000] [--shape large --shape small ...]
                                   [--database-url URL]

Generates N lines of sample logs and delivers them in objects of each shape
(ingester/sample/shapes.py: hourly, large, small, mix; default: large, small
and mix). For each shape it runs `edgelog ingest` as a separate process into a
fresh database (dedup constraint and indexes in place), and reports wall-clock
lines/s, the ingester's python CPU per line, its peak memory and the bytes per
stored row (table plus indexes). When `goaccess` is on the PATH it parses the
same lines (the shape's files, decompressed beforehand: its best case) with
`--log-format=CLOUDFRONT` right after, and the ratio is printed; one row per
shape at the end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import psycopg

from ingester import migrate
from ingester.embedded import EmbeddedPostgres
from ingester.sample.generator import generate
from ingester.sample.shapes import SHAPES, reshape

DEFAULT_SHAPES = ["large", "small", "mix"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines to generate")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: embedded)")
    parser.add_argument("--work", type=Path, help="directory for generated logs (kept)")
    parser.add_argument("--shape", action="append", choices=SHAPES,
                        help="object sizes to load the lines as (repeatable)")  # fmt: skip
    args = parser.parse_args()
    args.shape = args.shape or DEFAULT_SHAPES
    work = args.work or Path(tempfile.mkdtemp(prefix="edgelog-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    try:
        return run(args, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> int:
    started = time.monotonic()
    sample = _sample(work, args.lines)
    print(f"{sample.lines:,} lines in {sample.files:,} files ({time.monotonic() - started:.1f} s)")
    server = None
    url = args.database_url
    if url is None:
        shutil.rmtree(work / "pgdata", ignore_errors=True)  # a fresh database every run
        server = EmbeddedPostgres(work / "pgdata", _free_port())
        url = server.ensure_running()
    rows = []
    try:
        for shape in args.shape:
            shaped = _shaped(sample, shape, work)
            print(f"\n{shape}: {shaped.lines:,} lines in {shaped.files:,} objects")
            shape_url = _fresh_database(url, shape)
            result = _ingest(shape_url, shaped)
            result |= _storage(shape_url)
            goaccess = _goaccess(shaped.log_dir, work)
            _report(shaped.lines, result, goaccess)
            rows.append((shape, shaped, result, goaccess))
    finally:
        if server:
            server.stop()
    _table(rows)
    return 0


def _shaped(sample, shape: str, work: Path) -> SimpleNamespace:
    if shape == "hourly":
        return sample
    files, lines = reshape(sample.log_dir, work / f"shape-{shape}", shape)
    return SimpleNamespace(
        lines=lines, files=files, log_dir=work / f"shape-{shape}", geoip_db=sample.geoip_db
    )


def _fresh_database(url: str, shape: str) -> str:
    """A new database beside `url`'s, migrated: each shape loads into an empty one."""
    name = f"edgelog_bench_{shape}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    fresh = url.rsplit("/", 1)[0] + "/" + name
    migrate.upgrade(fresh)
    return fresh


def _sample(work: Path, lines: int) -> SimpleNamespace:
    """Generated logs, reused when --work already holds the same amount."""
    marker = work / "sample" / f"bench-{lines}.json"
    if not marker.exists():
        sample = generate(work / "sample", lines=lines, seed=7)
        saved = {"lines": sample.lines, "files": sample.files, "log_dir": str(sample.log_dir),
                 "geoip_db": str(sample.geoip_db)}  # fmt: skip
        marker.write_text(json.dumps(saved))
    saved = json.loads(marker.read_text())
    return SimpleNamespace(
        lines=saved["lines"],
        files=saved["files"],
        log_dir=Path(saved["log_dir"]),
        geoip_db=Path(saved["geoip_db"]),
    )


def _ingest(url: str, sample) -> dict:
    """Run `edgelog ingest` in its own process tree and watch its memory.

    Memory is the peak of the summed proportional set size (PSS) of the
    ingesting process and its workers: pages they share count once.
    """
    env = {**os.environ, "DATABASE_URL": url, "EDGELOG_GEOIP_DB": str(sample.geoip_db),
           "EDGELOG_LOG_LEVEL": "warning"}  # fmt: skip
    cpu_before = _children_cpu()
    started = time.monotonic()
    ingesting = subprocess.Popen(
        [sys.executable, "-m", "ingester", "ingest", "--no-refresh", str(sample.log_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = _watch_memory(ingesting)
    out, err = ingesting.communicate()
    seconds = time.monotonic() - started
    if ingesting.returncode != 0:
        print(out, err, sep="\n")
        raise SystemExit(f"edgelog ingest failed with {ingesting.returncode}")
    print(out.strip())
    return {"seconds": seconds, "peak_mb": peak / 2**20, "cpu": _children_cpu() - cpu_before}


def _watch_memory(process: subprocess.Popen) -> int:
    root, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(_pss(p) for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    return peak


def _pss(process: psutil.Process) -> int:
    try:
        return process.memory_full_info().pss
    except psutil.Error:
        return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _storage(url: str) -> dict:
    """Bytes per row once autovacuum has passed: a COPY that met a duplicate
    leaves the rows it had written as dead space, which later loads reuse."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum requests")
        rows, table, indexes = conn.execute(
            """
            select (select count(*) from requests),
                   sum(pg_table_size(c.oid)), sum(pg_indexes_size(c.oid))
            from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent = 'requests'::regclass
            """
        ).fetchone()
        dimensions = conn.execute(
            "select sum(pg_total_relation_size(t::regclass)) from unnest(array['sites', 'paths', "
            "'query_strings', 'referrers', 'user_agents', 'locations', 'edge_locations', "
            "'campaigns', 'responses']) as t"
        ).fetchone()[0]
    return {
        "rows": rows,
        "table": int(table),
        "indexes": int(indexes),
        "dimensions": int(dimensions),
    }


def _goaccess(log_dir: Path, work: Path) -> float | None:
    """GoAccess lines/s on the same lines, decompressed beforehand (its best case)."""
    binary = shutil.which("goaccess")
    if binary is None:
        return None
    plain = work / "all.log"
    lines = 0
    with plain.open("wb") as out:
        for path in sorted(log_dir.glob("*.gz")):
            with gzip.open(path, "rb") as src:
                data = src.read()
            out.write(data)
            lines += data.count(b"\n") - data.count(b"\n#")
    started = time.monotonic()
    subprocess.run(
        [binary, str(plain), "--log-format=CLOUDFRONT", "--no-global-config",
         "-o", str(work / "report.json")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return lines / (time.monotonic() - started)


def _report(lines: int, result: dict, goaccess: float | None) -> None:
    rate = lines / result["seconds"]
    per_row = (result["table"] + result["indexes"]) / max(result["rows"], 1)
    print()
    print(f"edgelog ingest  {lines:,} lines in {result['seconds']:.1f} s = {rate:,.0f} lines/s")
    print(f"python CPU      {result['cpu'] / lines * 1e6:.1f} µs per line (all edgelog processes)")
    print(f"peak memory     {result['peak_mb']:.0f} MB (summed PSS of the ingesting processes)")
    print(
        f"storage         {per_row:.0f} bytes/row ({result['table'] / result['rows']:.0f} table + "
        f"{result['indexes'] / result['rows']:.0f} indexes) over {result['rows']:,} rows; "
        f"dimensions {result['dimensions'] / 1e6:.1f} MB"
    )
    if goaccess is None:
        print("goaccess        not installed: no comparison")
    else:
        print(f"goaccess        {goaccess:,.0f} lines/s; edgelog is {rate / goaccess:.2f}x")


def _table(rows: list) -> None:
    print()
    print("| shape | lines | objects | edgelog lines/s | GoAccess lines/s | ratio "
          "| python CPU µs/line | bytes/row (with dimensions) | peak MB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for shape, shaped, result, goaccess in rows:
        rate = shaped.lines / result["seconds"]
        stored = result["table"] + result["indexes"]
        per_row = stored / max(result["rows"], 1)
        with_dims = (stored + result["dimensions"]) / max(result["rows"], 1)
        theirs = f"{goaccess:,.0f}" if goaccess else "-"
        ratio = f"{rate / goaccess:.2f}x" if goaccess else "-"
        print(
            f"| {shape} | {shaped.lines:,} | {shaped.files:,} | {rate:,.0f} | {theirs} | {ratio} "
            f"| {result['cpu'] / shaped.lines * 1e6:.1f} | {per_row:.0f} ({with_dims:.0f}) "
            f"| {result['peak_mb']:.0f} |"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
