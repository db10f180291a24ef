"""`edgelog report`: the headline figures in a terminal, read from the views only."""

import json
from datetime import datetime, timedelta
from typing import Annotated

import psycopg
import typer
from rich import filesize
from rich.console import Console
from rich.table import Column, Table

from ingester.cli.schema import current_database_url
from ingester.metrics.report import Period, days_waiting, default_period, headline, report

DAY = ["%Y-%m-%d"]


def run(
    ctx: typer.Context,
    site: Annotated[
        str | None, typer.Option(help="Only this site (host name); default: every site.")
    ] = None,
    first: Annotated[
        datetime | None,
        typer.Option("--from", formats=DAY, help="First UTC day, included.", show_default=False),
    ] = None,
    last: Annotated[
        datetime | None,
        typer.Option("--to", formats=DAY, help="Last UTC day, included.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Visitors, visits, page views, bounce rate, top pages, channels, countries, devices; CDN
    (hit ratio, latency p95, error rates, edge locations), top error paths and bots.

    The range is whole UTC days, both ends included; by default the last 7 days
    that have data. Reads the views, so run after `edgelog refresh` (ingest does).
    """
    with psycopg.connect(current_database_url(ctx, "report")) as conn:
        period = _period(conn, site, first, last)
        figures = report(conn, period)
        before = headline(conn, period.previous())
        waiting = days_waiting(conn)
    if waiting:
        typer.echo(
            f"note: {waiting:,} days loaded since the last refresh are not counted yet; "
            "run `edgelog refresh`",
            err=True,
        )
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    show(figures, before)


def _period(conn, site, first: datetime | None, last: datetime | None) -> Period:
    """--to alone: the 7 days up to it; --from alone: up to the newest day with data."""
    end = last.date() if last else default_period(conn, site).last
    start = first.date() if first else end - timedelta(days=6)
    if start > end:
        raise typer.BadParameter("--from is after --to")
    return Period(site, start, end)


HEADLINE = (
    ("visitors", "Unique visitors", "{:,}"),
    ("visits", "Visits", "{:,}"),
    ("pageviews", "Page views", "{:,}"),
    ("views_per_visit", "Views per visit", "{:.2f}"),
    ("bounce_rate", "Bounce rate", "{:.1%}"),
    ("visit_duration_s", "Visit duration", "{:.0f} s"),
    ("requests", "Requests (bots included)", "{:,}"),
    ("bytes", "Bytes sent", filesize.decimal),
    ("bot_requests", "Bot requests", "{:,}"),
    ("cache_hit_ratio", "Cache hit ratio", "{:.1%}"),
)


def show(figures: dict, before: dict) -> None:
    console = Console()
    site = figures["site"] or "all sites"
    console.print(f"[bold]{site}[/bold], {figures['from']} to {figures['to']} (UTC days)")
    table = Table("", _number("value"), _number("previous period"), _number("change"))
    for key, label, fmt in HEADLINE:
        show_value = fmt if callable(fmt) else fmt.format
        table.add_row(label, show_value(figures[key]), show_value(before[key]),
                      _change(figures[key], before[key]))  # fmt: skip
    console.print(table)
    pages = Table(
        "page", *map(_number, ("page views", "visitors", "entries", "exits")), title="Top pages"
    )
    for row in figures["top_pages"]:
        numbers = (f"{row[k]:,}" for k in ("pageviews", "visitors", "entries", "exits"))
        pages.add_row(row["path"], *numbers)
    console.print(pages)
    channels = Table("channel", _number("visits"), _number("visitors"), title="Channels")
    for row in figures["channels"]:
        channels.add_row(row["channel"], f"{row['visits']:,}", f"{row['visitors']:,}")
    console.print(channels)
    for title, key, column in (
        ("Countries", "countries", "country_code"),
        ("Devices", "devices", "device_type"),
    ):
        table = Table(column.replace("_", " "), _number("visitors"), title=title)
        for row in figures[key]:
            table.add_row(row[column] or "(unknown)", f"{row['visitors']:,}")
        console.print(table)
    show_cdn(console, figures)


def show_cdn(console: Console, figures: dict) -> None:
    """CDN figures, edge locations, error paths and bots."""
    cdn = Table("", _number("value"), title="CDN")
    cdn.add_row("Requests (bots included)", f"{figures['requests']:,}")
    cdn.add_row("Cache hit ratio", f"{figures['cache_hit_ratio']:.1%}")
    cdn.add_row("Time taken, p95", _ms(figures["time_taken_p95_ms"]))
    cdn.add_row("Time to first byte, p95", _ms(figures["ttfb_p95_ms"]))
    cdn.add_row("4xx rate", f"{figures['error_4xx_rate']:.2%}")
    cdn.add_row("5xx rate", f"{figures['error_5xx_rate']:.2%}")
    console.print(cdn)
    edges = Table(
        "edge location",
        "city",
        *map(_number, ("requests", "hit ratio", "p95 time taken")),
        title="Top edge locations",
    )
    for row in figures["edges"]:
        place = ", ".join(x for x in (row["city"], row["country_code"]) if x)
        edges.add_row(row["edge_location"], place, f"{row['requests']:,}",
                      f"{row['hit_ratio']:.1%}", _ms(row["time_taken_p95_ms"]))  # fmt: skip
    console.print(edges)
    errors = Table(
        "path", _number("status"), _number("requests"), "top referrer", title="Top error paths"
    )
    for row in figures["top_error_paths"]:
        status = f"{row['status']:03d}"
        errors.add_row(row["path"], status, f"{row['requests']:,}", row["top_referrer"] or "-")
    console.print(errors)
    bots = Table(
        "bot", "category", *map(_number, ("requests", "bytes", "clients")), title="Top bots"
    )
    for row in figures["bots"]:
        bots.add_row(row["bot_name"] or "(unnamed)", row["category"], f"{row['requests']:,}",
                     filesize.decimal(row["bytes"]), f"{row['clients']:,}")  # fmt: skip
    console.print(bots)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def _number(header: str) -> Column:
    return Column(header, justify="right")


def _change(now: float, before: float) -> str:
    if not before:
        return "new" if now else "-"
    return f"{(now - before) / before:+.0%}"
