"""Engagement views, given a few hand-written visits: refresh, then the exact rows.

On www.example.com, Wednesday 2024-05-01 (a week that began on Monday 2024-04-29):
- Alice (visitor 1): / at 10:00, /pricing 10:01, /signup/team 10:02:30, /welcome 10:05:
  one visit of four pages, 300 s, through the whole signup funnel.
- Bob (visitor 2): / at 10:10, /pricing 10:11: one visit, 60 s. He comes back a week later,
  2024-05-08, for / alone: a bounce.
- Carol (visitor 3): / at 10:20: a bounce.
The funnel "Signup" is /pricing → /signup* → /welcome.
"""

from datetime import date

import pytest
from logfiles import request, write_requests
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics.refresh import refresh
from ingester.settings import Settings

ALICE, BOB, CAROL = "198.51.100.1", "198.51.100.2", "198.51.100.3"
SITE = "www.example.com"
DAY, WEEK_LATER = date(2024, 5, 1), date(2024, 5, 8)
SIGNUP = "funnels:\n  - name: Signup\n    steps: [/pricing, /signup*, /welcome]\n"
MEMBERS = (
    "array(select chunk * 1024 + i from generate_series(0, 1023) as i"
    " where get_bit(visitors, i) = 1)"
)
ON_SITE = "https://www.example.com"
LINES = {
    "first-day.gz": [
        request("2024-05-01 10:00:00", "/", ip=ALICE),
        request("2024-05-01 10:01:00", "/pricing", ip=ALICE, referrer=f"{ON_SITE}/"),
        request("2024-05-01 10:02:30", "/signup/team", ip=ALICE, referrer=f"{ON_SITE}/pricing"),
        request("2024-05-01 10:05:00", "/welcome", ip=ALICE, referrer=f"{ON_SITE}/signup/team"),
        request("2024-05-01 10:10:00", "/", ip=BOB),
        request("2024-05-01 10:11:00", "/pricing", ip=BOB, referrer=f"{ON_SITE}/"),
        request("2024-05-01 10:20:00", "/", ip=CAROL),
    ],
    "week-later.gz": [request("2024-05-08 09:00:00", "/", ip=BOB)],
}


@pytest.fixture
def funnels_file(tmp_path):
    path = tmp_path / "funnels.yaml"
    path.write_text(SIGNUP)
    return path


@pytest.fixture
def load(tmp_path, ingest_logs, migrated_db, funnels_file):
    """Load the named files (each in a run of its own), then refresh with the funnels file."""

    def run(*names: str, **settings: str):
        for name in names:
            directory = tmp_path / name.removesuffix(".gz")
            directory.mkdir()
            write_requests(directory / name, LINES[name])
            ingest_logs(directory)
        env = {"EDGELOG_FUNNELS": str(funnels_file), **settings}
        refresh(migrated_db, settings=Settings.from_env(env))

    return run


@pytest.fixture
def two_weeks(load):
    load("first-day.gz", "week-later.gz")


def test_visit_durations_fall_in_their_buckets(two_weeks, fetch):
    rows = fetch(
        "select day, duration, visits from visit_durations_daily"
        " where channel = '*' order by day, duration_bucket"
    )
    assert rows == [
        (DAY, "0 s", 1),  # Carol
        (DAY, "1-3 min", 1),  # Bob: 60 s
        (DAY, "3-10 min", 1),  # Alice: 300 s
        (WEEK_LATER, "0 s", 1),  # Bob again
    ]


def test_visit_depths_count_pages_per_visit(two_weeks, fetch):
    rows = fetch(
        "select day, pages, visits from visit_depths_daily"
        " where channel = '*' order by day, depth_bucket"
    )
    assert rows == [(DAY, "1", 1), (DAY, "2", 1), (DAY, "4", 1), (WEEK_LATER, "1", 1)]


def test_transitions_follow_each_visit_page_by_page(two_weeks, fetch):
    rows = fetch(
        "select from_path, to_path, transitions, visits from transitions_daily"
        " where channel = '*' order by transitions desc, from_path"
    )
    assert rows == [
        ("/", "/pricing", 2, 2),  # Alice and Bob
        ("/pricing", "/signup/team", 1, 1),
        ("/signup/team", "/welcome", 1, 1),
    ]
    visitors = fetch(
        f"select from_path, to_path, {MEMBERS} from transition_visitors_daily order by 1, 2"
    )
    assert visitors == [
        ("/", "/pricing", [1, 2]),
        ("/pricing", "/signup/team", [1]),
        ("/signup/team", "/welcome", [1]),
    ]


def test_path_triples_are_three_pages_in_a_row(two_weeks, fetch):
    rows = fetch(
        "select first_path, second_path, third_path, occurrences, visits"
        " from path_triples_daily where channel = '*' order by first_path"
    )
    assert rows == [
        ("/", "/pricing", "/signup/team", 1, 1),
        ("/pricing", "/signup/team", "/welcome", 1, 1),
    ]


def test_cohorts_count_who_came_back_each_week(two_weeks, fetch):
    rows = fetch(
        "select site, cohort_week, weeks_since, visitors from cohorts_weekly order by 2, 3"
    )
    assert rows == [
        (SITE, date(2024, 4, 29), 0, 3),  # Alice, Bob and Carol
        (SITE, date(2024, 4, 29), 1, 1),  # Bob came back
    ]


def test_a_late_older_file_moves_visitors_to_the_cohort_they_were_first_seen_in(load, fetch):
    load("week-later.gz")  # Bob's return arrives first: he looks new that week
    assert fetch("select cohort_week, weeks_since, visitors from cohorts_weekly") == [
        (date(2024, 5, 6), 0, 1)
    ]
    load("first-day.gz")
    rows = fetch("select cohort_week, weeks_since, visitors from cohorts_weekly order by 1, 2")
    assert rows == [(date(2024, 4, 29), 0, 3), (date(2024, 4, 29), 1, 1)]


def test_cohorts_are_empty_when_visitor_keys_change_daily(load, fetch):
    load("first-day.gz", "week-later.gz", EDGELOG_SALT_ROTATION="daily")
    assert fetch("select count(*) from cohorts_weekly") == [(0,)]
    comment = fetch("select obj_description('cohorts_weekly'::regclass)")[0][0]
    assert "EDGELOG_SALT_ROTATION=daily" in comment


def test_funnel_steps_count_visitors_who_reached_them_in_order(two_weeks, fetch):
    rows = fetch(
        "select funnel, step, pattern, sum(bit_count(v)) from ("
        " select funnel, step, pattern, chunk, bit_or(visitors) as v from funnels_daily"
        " where channel = '*' group by 1, 2, 3, 4) as per_chunk group by 1, 2, 3 order by 2"
    )
    assert rows == [
        ("Signup", 1, "/pricing", 2),  # Alice and Bob
        ("Signup", 2, "/signup%", 1),  # Alice
        ("Signup", 3, "/welcome", 1),
    ]


def test_a_changed_funnels_file_takes_effect_at_the_next_refresh(
    two_weeks, funnels_file, migrated_db, fetch
):
    funnels_file.write_text(
        '[[funnels]]\nname = "Pricing"\nsteps = ["/", "/pricing"]\n'
    )  # TOML now
    toml = funnels_file.rename(funnels_file.with_suffix(".toml"))
    refresh(migrated_db, settings=Settings.from_env({"EDGELOG_FUNNELS": str(toml)}))
    rows = fetch(
        "select funnel, step, sum(bit_count(v)) from ("
        " select funnel, step, chunk, bit_or(visitors) as v from funnels_daily"
        " where channel = '*' group by 1, 2, 3) as per_chunk group by 1, 2 order by 2"
    )
    assert rows == [("Pricing", 1, 3), ("Pricing", 2, 2)]  # Carol never went on


def test_a_funnels_file_that_cannot_be_read_stops_refresh_with_its_reason(
    tmp_path, migrated_db, monkeypatch
):
    bad = tmp_path / "funnels.yaml"
    bad.write_text("funnels:\n  - name: Signup\n")
    monkeypatch.setenv("DATABASE_URL", migrated_db)
    monkeypatch.setenv("EDGELOG_FUNNELS", str(bad))
    result = CliRunner().invoke(app, ["refresh"])
    assert result.exit_code == 2
    assert "funnel 'Signup' needs a list of steps" in result.output
