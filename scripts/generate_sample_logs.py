"""Write sample CloudFront logs and a matching GeoIP database (what `edgelog sample` does).

Usage: python scripts/generate_sample_logs.py --out DIR [--days N] [--lines N] [--seed N]
[--end YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ingester.sample.generator import describe, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--days", type=int, default=7, help="days of traffic (default 7)")
    parser.add_argument("--lines", type=int, help="about this many request lines (benchmarks)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--end", type=date.fromisoformat, help="last day, UTC (default yesterday)")
    args = parser.parse_args(argv)
    if args.days < 1 or (args.lines is not None and args.lines < 1):
        parser.error("--days and --lines must be at least 1")
    summary = generate(args.out, days=args.days, lines=args.lines, seed=args.seed, end=args.end)
    print("\n".join(describe(summary)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
