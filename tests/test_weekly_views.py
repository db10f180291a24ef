"""Weekly views are their daily views summed (visitor sets: unioned) over each whole week,
Monday to Sunday UTC, also after late files change days of a week already rolled up."""

import shutil
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import psycopg
import pytest
from grafana_expansion import expand

from grafana.queries.common import DAYS, days_and_weeks
from ingester.metrics.refresh import refresh
from ingester.sample.generator import generate

END = date(2026, 3, 11)  # a Wednesday: the sample's 17 days span three weeks
COUNTED = {
    "transitions": (("site", "channel", "from_path", "to_path"), ("transitions", "visits")),
    "path_triples": (
        ("site", "channel", "first_path", "second_path", "third_path"),
        ("occurrences", "visits"),
    ),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("sample"), days=17, lines=30000, end=END)


def _rows(url: str, view: str, columns: tuple[str, ...]) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"select {', '.join(columns)} from {view}").fetchall()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekly_sums(url: str, name: str) -> dict:
    keys, counts = COUNTED[name]
    sums = defaultdict(lambda: [0] * len(counts))
    for row in _rows(url, f"{name}_daily", ("day", *keys, *counts)):
        total = sums[(_monday(row[0]), *row[1 : 1 + len(keys)])]
        for i, value in enumerate(row[1 + len(keys) :]):
            total[i] += value
    return {key: tuple(value) for key, value in sums.items()}


def _weekly_unions(url: str) -> dict:
    unions: dict = {}
    columns = ("day", "site", "kind", "value", "chunk", "visitors")
    for day, *key, bits in _rows(url, "audience_visitors_daily", columns):
        key = (_monday(day), *key)
        previous = unions.get(key, "0" * len(bits))
        unions[key] = "".join(
            "1" if "1" in pair else "0" for pair in zip(previous, bits, strict=True)
        )
    return unions


def _check(url: str) -> None:
    for name, (keys, counts) in COUNTED.items():
        weekly = _rows(url, f"{name}_weekly", ("week", *keys, *counts))
        expected = _weekly_sums(url, name)
        assert len(weekly) == len(expected) > 0
        assert {row[: 1 + len(keys)]: row[1 + len(keys) :] for row in weekly} == expected
    columns = ("week", "site", "kind", "value", "chunk", "visitors")
    audience = {tuple(row[:5]): row[5] for row in _rows(url, "audience_visitors_weekly", columns)}
    assert audience == _weekly_unions(url)
    assert {week.weekday() for week, *_ in audience} == {0}  # weeks start on Mondays


def test_weekly_views_sum_and_union_their_days(sample, ingest_logs, migrated_db):
    ingest_logs(sample.log_dir, geoip_db=str(sample.geoip_db))
    refresh(migrated_db)
    _check(migrated_db)


def test_a_late_file_updates_its_week(sample, tmp_path, ingest_logs, migrated_db):
    files = sorted(sample.log_dir.iterdir())
    monday = _monday(END).isoformat()
    late = [f for f in files if monday in f.name]
    assert late
    early = tmp_path / "early"
    early.mkdir()
    for f in files:
        if f not in late:
            shutil.copy(f, early / f.name)
    ingest_logs(early, geoip_db=str(sample.geoip_db))
    refresh(migrated_db)
    before = _rows(migrated_db, "transitions_weekly", ("week", "transitions"))
    ingest_logs(sample.log_dir, geoip_db=str(sample.geoip_db))  # the Monday arrives late
    refresh(migrated_db)
    _check(migrated_db)
    assert _rows(migrated_db, "transitions_weekly", ("week", "transitions")) != before


# Days before and after whole weeks, two whole weeks, no whole week, a range within a week.
RANGES = [
    (date(2026, 2, 26), date(2026, 3, 10)),
    (date(2026, 3, 1), date(2026, 3, 11)),
    (date(2026, 2, 23), date(2026, 3, 8)),
    (date(2026, 3, 3), date(2026, 3, 10)),
    (date(2026, 3, 5), date(2026, 3, 6)),
]


def test_whole_weeks_and_the_days_around_them_give_the_ranges_figures(
    sample, ingest_logs, migrated_db
):
    ingest_logs(sample.log_dir, geoip_db=str(sample.geoip_db))
    refresh(migrated_db)
    rows = days_and_weeks("transitions", "from_path, to_path, transitions", "channel = '*'")
    split = f"select from_path, to_path, sum(transitions) from {rows} as t group by 1, 2"
    daily = f"select from_path, to_path, sum(transitions) from transitions_daily where {DAYS}"
    daily += " and channel = '*' group by 1, 2"
    sets = days_and_weeks("audience_visitors", "kind, value, chunk, visitors", "true")
    split_sets = f"select kind, value, chunk, bit_or(visitors) from {sets} as s group by 1, 2, 3"
    daily_sets = "select kind, value, chunk, bit_or(visitors) from audience_visitors_daily"
    daily_sets += f" where {DAYS} group by 1, 2, 3"
    with psycopg.connect(migrated_db) as conn:
        for first, last in RANGES:  # from mid-morning to late afternoon
            span = {
                "time_from": datetime.combine(first, time(9), UTC),
                "time_to": datetime.combine(last, time(17), UTC),
                "interval": timedelta(hours=1),
                "variables": [],
                "selections": {},
            }
            for mixed, plain in ((split, daily), (split_sets, daily_sets)):
                got = sorted(conn.execute(expand(mixed, **span)).fetchall())
                assert got == sorted(conn.execute(expand(plain, **span)).fetchall()), first
                assert got, (first, last)
