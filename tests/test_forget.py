"""`edgelog forget`: one visitor's requests go, and the views change accordingly."""

from datetime import UTC, datetime, timedelta

from logfiles import FIREFOX, IPHONE, request, write_requests
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics.refresh import refresh

runner = CliRunner()


def forget(url: str, *options: str, **env: str):
    return runner.invoke(app, ["forget", *options, "--yes"], env={"DATABASE_URL": url, **env})


def visitors_and_pageviews(fetch) -> tuple[int, int]:
    visitors = fetch(
        "select coalesce(sum(bit_count(v)), 0) from (select chunk, bit_or(visitors) as v"
        " from visitors_daily where channel = '*' group by site, chunk) as per_chunk"
    )[0][0]
    pageviews = fetch("select coalesce(sum(pageviews), 0) from traffic_daily where channel = '*'")
    return visitors, pageviews[0][0]


def test_forget_removes_exactly_one_visitors_rows_and_the_views_follow(
    tmp_path, migrated_db, ingest_logs, fetch
):
    write_requests(tmp_path / "a.gz", [
        request("2026-11-02 10:00:00", "/", ip="203.0.113.7", agent=IPHONE),
        request("2026-11-02 10:01:00", "/about", ip="203.0.113.7", agent=IPHONE),
        request("2026-11-03 09:00:00", "/", ip="203.0.113.7", agent=IPHONE),
        request("2026-11-02 10:00:00", "/", ip="203.0.113.7", agent=FIREFOX),  # another browser
        request("2026-11-02 11:00:00", "/", ip="198.51.100.9", agent=IPHONE),
    ])  # fmt: skip
    ingest_logs(tmp_path)
    refresh(migrated_db)
    assert visitors_and_pageviews(fetch) == (3, 5)

    result = forget(migrated_db, "--ip", "203.0.113.7", "--user-agent", IPHONE)
    assert result.exit_code == 0, result.output
    assert "forgot: 3 requests on www.example.com (2026-11-02 to 2026-11-03)" in result.output
    assert fetch("select count(*) from requests")[0][0] == 2
    assert visitors_and_pageviews(fetch) == (2, 2)
    assert fetch("select count(*) from dirty_days")[0][0] == 0
    assert fetch("select count(*) from visitor_numbers")[0][0] == 2

    again = forget(migrated_db, "--ip", "203.0.113.7", "--user-agent", IPHONE)
    assert "no request of this visitor is stored" in again.output


def test_forget_with_a_site_leaves_the_visitors_other_sites_alone(
    tmp_path, migrated_db, ingest_logs, fetch
):
    write_requests(tmp_path / "a.gz", [
        request("2026-11-02 10:00:00", "/", ip="2001:db8::7", host="www.example.com"),
        request("2026-11-02 10:00:00", "/blog", ip="2001:db8::7", host="blog.example.com"),
    ])  # fmt: skip
    ingest_logs(tmp_path)
    result = forget(
        migrated_db, "--ip", "2001:DB8:0::7", "--user-agent", FIREFOX, "--site", "blog.example.com"
    )
    assert result.exit_code == 0, result.output
    assert "forgot: 1 requests on blog.example.com" in result.output
    assert fetch("select s.host from requests r join sites s on s.id = r.site_id") == [
        ("www.example.com",)
    ]


def test_with_daily_rotation_only_days_whose_keys_exist_can_be_forgotten(
    tmp_path, migrated_db, ingest_logs, fetch
):
    today = datetime.now(UTC).date()
    old = today - timedelta(days=5)
    write_requests(tmp_path / "a.gz", [
        request(f"{old} 10:00:00", "/", ip="203.0.113.7"),  # its day's key is destroyed
        request(f"{today} 00:00:01", "/", ip="203.0.113.7"),
        request(f"{today} 00:00:02", "/", ip="198.51.100.9"),
    ])  # fmt: skip
    ingest_logs(tmp_path, salt_rotation="daily")
    result = forget(
        migrated_db, "--ip", "203.0.113.7", "--user-agent", FIREFOX,
        EDGELOG_SALT_ROTATION="daily",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"forgot: 1 requests on www.example.com ({today})" in result.output
    assert "cannot be matched to anyone" in result.output
    assert fetch("select count(*) from requests")[0][0] == 2


def test_forget_refuses_what_is_not_an_ip_address(migrated_db):
    result = forget(migrated_db, "--ip", "example.com", "--user-agent", FIREFOX)
    assert result.exit_code == 2
    assert "not an IP address" in result.output
