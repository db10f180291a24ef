"""Ingest benchmark: end-to-end lines/s, peak memory and bytes per row, against GoAccess.

    python scripts/bench_ingest.py [--lines 1000000] [--database-url URL]

Generates N lines of sample logs, runs `edgelog ingest` on them as a separate
process into a fresh database (dedup constraint and indexes in place), and
reports wall-clock lines/s, the ingester's peak RSS and the bytes per stored
row (table plus indexes). When `goaccess` is on the PATH it parses the same
lines with `--log-format=CLOUDFRONT` in the same run, and the ratio is printed.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines to generate")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: embedded)")
    parser.add_argument("--work", type=Path, help="directory for generated logs (kept)")
    args = parser.parse_args()
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
    try:
        migrate.upgrade(url)
        result = _ingest(url, sample)
        result |= _storage(url)
        goaccess = _goaccess(sample.log_dir, work)
    finally:
        if server:
            server.stop()
    _report(sample.lines, result, goaccess)
    return 0


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
        [sys.executable, "-m", "ingester", "ingest", str(sample.log_dir)],
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
