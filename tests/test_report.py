"""`edgelog report` in a terminal: its range, its site filter and what it prints."""

import json

import pytest
from logfiles import IPHONE, request, write_requests
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics.refresh import refresh


@pytest.fixture
def two_weeks(tmp_path, ingest_logs, migrated_db, monkeypatch):
    """Visitors on two sites over 14 days: one on www.example.com each day, and on the last day
    a second one (on an iPhone) and a visitor of blog.example.com."""
    lines = [
        request(f"2024-05-{day:02d} 10:00:00", "/", ip=f"198.51.100.{day}") for day in range(1, 15)
    ]
    lines.append(request("2024-05-14 12:00:00", "/pricing", ip="203.0.113.9", agent=IPHONE))
    lines.append(request("2024-05-14 12:00:00", "/", host="blog.example.com"))
    write_requests(tmp_path / "log.gz", lines)
    ingest_logs(tmp_path)
    refresh(migrated_db)
    monkeypatch.setenv("DATABASE_URL", migrated_db)


def report(*args: str):
    return CliRunner().invoke(app, ["report", *args])


def test_the_default_range_is_the_last_7_days_that_have_data(two_weeks):
    result = report("--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert (figures["from"], figures["to"], figures["site"]) == ("2024-05-08", "2024-05-14", None)
    assert (figures["visitors"], figures["pageviews"]) == (9, 9)


def test_a_site_and_a_range_narrow_the_figures(two_weeks):
    figures = json.loads(
        report(
            "--json", "--site", "www.example.com", "--from", "2024-05-14", "--to", "2024-05-14"
        ).output
    )
    assert (figures["visitors"], figures["visits"], figures["bounce_rate"]) == (2, 2, 1.0)
    assert [p["path"] for p in figures["top_pages"]] == ["/", "/pricing"]
    assert figures["devices"] == [
        {"device_type": "desktop", "visitors": 1},
        {"device_type": "mobile", "visitors": 1},
    ]


def test_to_alone_takes_the_7_days_before_it(two_weeks):
    figures = json.loads(report("--json", "--to", "2024-05-07").output)
    assert (figures["from"], figures["to"], figures["visitors"]) == ("2024-05-01", "2024-05-07", 7)


def test_the_tables_show_each_figure_against_the_previous_period(two_weeks):
    result = report("--site", "www.example.com")
    assert result.exit_code == 0, result.output
    assert "www.example.com, 2024-05-08 to 2024-05-14 (UTC days)" in result.output
    visitors = next(line for line in result.output.splitlines() if "Unique visitors" in line)
    assert [cell.strip() for cell in visitors.strip("│┃ ").split("│")] == [
        "Unique visitors", "8", "7", "+14%"
    ]  # fmt: skip
    for title in ("Top pages", "Channels", "Countries", "Devices"):
        assert title in result.output


def test_from_after_to_is_an_error(two_weeks):
    result = report("--from", "2024-05-10", "--to", "2024-05-01")
    assert result.exit_code == 2
    assert "--from is after --to" in result.output


def test_a_database_behind_the_schema_is_refused_with_what_to_run(empty_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", empty_db)
    for command in ("report", "refresh"):
        result = CliRunner().invoke(app, [command])
        assert result.exit_code == 2
        assert "run `edgelog db upgrade`" in result.output
