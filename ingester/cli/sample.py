"""`edgelog sample`: realistic CloudFront logs and a matching GeoIP database to try edgelog on."""

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

LINES_HELP = (
    "About this many request lines instead of the traffic model's own volume (about 25,000 a "
    "day); for benchmarks. Monitors and scanners add about 1,300 a day whatever N is."
)


def generate(
    out: Annotated[
        Path,
        typer.Option(file_okay=False, metavar="DIR", help="Where to write logs/ and the .mmdb."),
    ],
    days: Annotated[int, typer.Option(min=1, metavar="N", help="Days of traffic.")] = 7,
    lines: Annotated[int | None, typer.Option(min=1, metavar="N", help=LINES_HELP)] = None,
    seed: Annotated[
        int, typer.Option(metavar="N", help="Random seed; the same options give identical files.")
    ] = 42,
    end: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="Last day (UTC). Default: yesterday."
        ),
    ] = None,
) -> None:
    """Write sample CloudFront access logs and a GeoIP database for demos and tests.

    Three demo sites (a shop, a blog, a SaaS site), each its own distribution, with human visits,
    campaigns, robots, monitors and scanners, delivered as CloudFront delivers standard logs:
    several gzip files per hour, a few late, with a handful of duplicated and malformed lines.
    """
    from ingester.sample import generator  # mmdb-writer and the site models: only here

    day = end.date() if end else None
    summary = generator.generate(out, days=days, lines=lines, seed=seed, end=day)
    for line in generator.describe(summary):
        typer.echo(line)
