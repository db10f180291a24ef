"""Visits stay right however the logs arrive: across files, runs, midnight and late deliveries.

Each case loads files one run at a time, refreshing after each, then checks the
visits and that a full rebuild gives the very same rows.
"""

from datetime import UTC, date, datetime

import pytest
from logfiles import request, write_requests

from ingester.metrics.refresh import refresh

VISITS = (
    "select started_at, ended_at, pageviews, p1.path, p2.path from visits v"
    " join paths p1 on p1.id = v.entry_path_id join paths p2 on p2.id = v.exit_path_id"
    " order by started_at"
)
DAILY = (
    "select day, pageviews, visits, bounces, duration_s from traffic_daily"
    " where channel = '*' order by day"
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def deliver(tmp_path, ingest_logs, migrated_db):
    """Load one file of page views by Alice (one per "YYYY-MM-DD HH:MM:SS" [path]), then refresh."""
    count = 0

    def run(*views: str):
        nonlocal count
        count += 1
        lines = [request(v[:19], v[20:] or "/") for v in views]
        directory = tmp_path / f"run{count}"
        directory.mkdir()
        write_requests(directory / "log.gz", lines)
        ingest_logs(directory)
        refresh(migrated_db)

    return run


@pytest.fixture
def same_after_full_rebuild(migrated_db, fetch):
    """Call after the scenario: the full rebuild must not change a thing."""

    def check():
        before = fetch(VISITS), fetch(DAILY)
        refresh(migrated_db, full=True)
        assert (fetch(VISITS), fetch(DAILY)) == before

    return check


def test_page_views_in_two_runs_within_30_minutes_are_one_visit(
    deliver, fetch, same_after_full_rebuild
):
    deliver("2024-05-01 10:00:00 /")
    deliver("2024-05-01 10:20:00 /pricing")
    assert fetch(VISITS) == [(at("2024-05-01 10:00"), at("2024-05-01 10:20"), 2, "/", "/pricing")]
    same_after_full_rebuild()


def test_a_visit_across_midnight_is_one_visit_on_its_first_day(
    deliver, fetch, same_after_full_rebuild
):
    deliver("2024-05-01 23:50:00 /")
    deliver("2024-05-02 00:10:00 /pricing")
    assert fetch(VISITS) == [(at("2024-05-01 23:50"), at("2024-05-02 00:10"), 2, "/", "/pricing")]
    assert fetch(DAILY) == [
        (date(2024, 5, 1), 1, 1, 0, 1200.0),  # the visit and its first page view
        (date(2024, 5, 2), 1, 0, 0, 0.0),  # only its second page view
    ]
    same_after_full_rebuild()


def test_a_late_file_that_fills_a_gap_merges_two_visits(deliver, fetch, same_after_full_rebuild):
    deliver("2024-05-01 10:00:00 /", "2024-05-01 10:50:00 /pricing")
    assert [v[2] for v in fetch(VISITS)] == [1, 1]  # 50 minutes apart: two visits
    deliver("2024-05-01 10:25:00 /features")
    assert fetch(VISITS) == [(at("2024-05-01 10:00"), at("2024-05-01 10:50"), 3, "/", "/pricing")]
    assert fetch(DAILY) == [(date(2024, 5, 1), 3, 1, 0, 3000.0)]
    same_after_full_rebuild()


def test_a_late_file_inside_a_visit_changes_its_length_and_entry(
    deliver, fetch, same_after_full_rebuild
):
    deliver("2024-05-01 10:00:00 /features", "2024-05-01 10:20:00 /pricing")
    deliver("2024-05-01 09:45:00 /", "2024-05-01 10:40:00 /signup")
    assert fetch(VISITS) == [(at("2024-05-01 09:45"), at("2024-05-01 10:40"), 4, "/", "/signup")]
    same_after_full_rebuild()


def test_a_late_file_from_the_day_before_moves_a_visit_to_that_day(
    deliver, fetch, same_after_full_rebuild
):
    deliver("2024-05-02 00:10:00 /pricing")
    assert fetch(DAILY) == [(date(2024, 5, 2), 1, 1, 1, 0.0)]
    deliver("2024-05-01 23:50:00 /")  # CloudFront delivered it late
    assert fetch(DAILY) == [
        (date(2024, 5, 1), 1, 1, 0, 1200.0),
        (date(2024, 5, 2), 1, 0, 0, 0.0),  # day 2 was not loaded again, yet changed
    ]
    same_after_full_rebuild()


def test_a_late_file_bridging_a_long_chain_rebuilds_the_whole_visit(
    deliver, fetch, same_after_full_rebuild
):
    # A visit from 22:00 on day 1 to 02:00 on day 3, a page view every 20 minutes,
    # except that the file with 00:00-00:40 on day 2 comes last.
    chain = [at("2024-05-01 22:00") + i * (at("2024-05-01 00:20") - at("2024-05-01 00:00"))
             for i in range(0, 13)]  # fmt: skip
    late = [t for t in chain if t.date() == date(2024, 5, 2) and t.hour == 0]
    deliver(*(t.strftime("%Y-%m-%d %H:%M:%S") for t in chain if t not in late))
    assert len(fetch(VISITS)) == 2  # a gap of an hour between 23:40 and 01:00
    deliver(*(t.strftime("%Y-%m-%d %H:%M:%S") for t in late))
    assert fetch(VISITS) == [(chain[0], chain[-1], 13, "/", "/")]
    same_after_full_rebuild()


def test_page_views_more_than_30_minutes_apart_are_two_visits(
    deliver, fetch, same_after_full_rebuild
):
    deliver("2024-05-01 10:00:00 /", "2024-05-01 10:30:00 /a", "2024-05-01 11:00:01 /b")
    assert [(v[2], v[3], v[4]) for v in fetch(VISITS)] == [(2, "/", "/a"), (1, "/b", "/b")]
    same_after_full_rebuild()


def test_page_views_in_the_same_second_follow_their_referrer_chain(
    tmp_path, ingest_logs, migrated_db, fetch
):
    # /signup was reached from /pricing, so it comes second although both are logged in the
    # same second and /signup's request key sorts first: the visit goes / → /pricing → /signup.
    write_requests(tmp_path / "log.gz", [
        request("2024-05-01 10:00:00", "/"),
        request("2024-05-01 10:00:05", "/signup", referrer="https://www.example.com/pricing"),
        request("2024-05-01 10:00:05", "/pricing", referrer="https://www.example.com/"),
    ])  # fmt: skip
    ingest_logs(tmp_path)
    refresh(migrated_db)
    rows = fetch(
        "select p1.path, p2.path, array(select p.path from unnest(v.paths) with ordinality"
        " as u(id, n) join paths p on p.id = u.id order by n)"
        " from visits v join paths p1 on p1.id = v.entry_path_id"
        " join paths p2 on p2.id = v.exit_path_id"
    )
    assert rows == [("/", "/signup", ["/", "/pricing", "/signup"])]
