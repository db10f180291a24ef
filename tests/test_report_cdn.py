"""`edgelog report`'s CDN, error and bot sections, in JSON and in the terminal."""

import json

import pytest
from logfiles import GOOGLEBOT, request, write_requests
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics import latency
from ingester.metrics.refresh import refresh


@pytest.fixture
def day(tmp_path, ingest_logs, migrated_db, monkeypatch):
    """2024-05-01: eight page requests at FRA (7 hits, 1 miss; 10 to 80 ms), one 502 at IAD
    (2000 ms) from a blog, one 404 and two Googlebot hits at IAD."""
    lines = [
        request(f"2024-05-01 10:00:0{i}", f"/p{i}", result="Miss" if i == 0 else "Hit",
                time_taken=f"0.0{i + 1}0", ttfb="0.005")
        for i in range(8)
    ]  # fmt: skip
    lines += [
        request("2024-05-01 11:00:00", "/api", status=502, result="Error", edge="IAD89-C1",
                referrer="https://blog.example.org/post", time_taken="2.000", ttfb="2.000"),
        request("2024-05-01 11:00:01", "/gone", status=404, result="Error", edge="IAD89-C1"),
        request("2024-05-01 12:00:00", "/", agent=GOOGLEBOT, ip="66.249.66.1", edge="IAD89-C1"),
        request("2024-05-01 12:00:01", "/a", agent=GOOGLEBOT, ip="66.249.66.2", edge="IAD89-C1"),
    ]  # fmt: skip
    write_requests(tmp_path / "log.gz", lines)
    ingest_logs(tmp_path)
    refresh(migrated_db)
    monkeypatch.setenv("DATABASE_URL", migrated_db)


def report(*args: str):
    return CliRunner().invoke(app, ["report", "--from", "2024-05-01", "--to", "2024-05-01", *args])


def test_json_has_error_rates_latency_percentiles_edges_error_paths_and_bots(day):
    result = report("--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["error_5xx_rate"] == pytest.approx(1 / 12)
    assert figures["error_4xx_rate"] == pytest.approx(1 / 12)
    # 12 durations: 10..80 (8), 2000, and 12, 12, 12 → p95 is the 12th: 2000 ms
    assert abs(figures["time_taken_p95_ms"] - 2000) <= 2000 * latency.RELATIVE_ERROR
    assert abs(figures["ttfb_p95_ms"] - 2000) <= 2000 * latency.RELATIVE_ERROR
    keys = ("edge_location", "requests", "hit_ratio")
    edges = [{k: e[k] for k in keys} for e in figures["edges"]]
    assert edges == [
        {"edge_location": "FRA56-P3", "requests": 8, "hit_ratio": 7 / 8},
        {"edge_location": "IAD89-C1", "requests": 4, "hit_ratio": 1.0},
    ]
    assert figures["top_error_paths"] == [
        {"path": "/api", "status": 502, "requests": 1, "top_referrer": "blog.example.org/post"},
        {"path": "/gone", "status": 404, "requests": 1, "top_referrer": ""},
    ]
    assert figures["bots"] == [
        {"bot_name": "Googlebot", "category": "search engine", "requests": 2, "bytes": 10000,
         "clients": 2}
    ]  # fmt: skip


def test_the_terminal_shows_cdn_edges_error_paths_and_bots(day):
    result = report()
    assert result.exit_code == 0, result.output
    for title in ("CDN", "Top edge locations", "Top error paths", "Top bots"):
        assert title in result.output
    assert "Googlebot" in result.output and "FRA56-P3" in result.output
    assert "/api" in result.output
