"""The views and `edgelog report --json` against plain Python over the rows of `requests`.

Three days of the sample generator's traffic (with its late files, duplicates and
malformed lines), loaded with GeoIP. Every figure must be equal, not close.
"""

import itertools
import json
import random
import re
import shutil
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from snapshots import view_rows
from typer.testing import CliRunner

from ingester.cli import app
from ingester.metrics.refresh import refresh
from ingester.sample.generator import generate
from ingester.settings import Settings

END = date(2026, 3, 3)
FIRST = END - timedelta(days=2)
GAP = timedelta(minutes=30)
PAGEVIEWS = """
    select s.host, r.visitor_id, r.ts, r.request_key, p.path,
           case when r.channel_id = 7 then f.path end
    from requests r
    join sites s on s.id = r.site_id
    join paths p on p.id = r.path_id
    left join referrers f on f.id = r.referrer_id
    where r.is_pageview and not r.is_bot
"""
# The attributes of every page view, by request key.
ATTRIBUTES = """
    select r.request_key, c.name, coalesce(l.country_code, ''), coalesce(u.device_type, 'unknown')
    from requests r
    join channels c on c.id = r.channel_id
    left join locations l on l.id = r.location_id
    left join user_agents u on u.id = r.user_agent_id
    where r.is_pageview and not r.is_bot
"""
RESULT_TYPES = """
    select c.result_type, r.bytes_sent from requests r join responses c on c.id = r.response_id
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("sample"), days=3, lines=9000, end=END)


@pytest.fixture
def loaded(sample, ingest_logs, migrated_db):
    """The sample loaded and refreshed; returns its page views as (site, visitor, ts, key)."""
    ingest_logs(sample.log_dir, geoip_db=str(sample.geoip_db))
    refresh(migrated_db)
    with psycopg.connect(migrated_db) as conn:
        return conn.execute(PAGEVIEWS).fetchall()


def _visits(pageviews) -> list[tuple[datetime, datetime, int]]:
    """(start, end, page views) of every visit, by the 30-minute rule."""
    return [(start, end, count) for start, end, count, _, _ in _visits_with_entries(pageviews)]


def _visits_with_entries(pageviews) -> list[tuple]:
    """(start, end, page views, visitor, request key of the first page view) of every visit."""
    by_visitor = defaultdict(list)
    for site, visitor, ts, key, path, referrer in pageviews:
        by_visitor[site, visitor].append((ts, key, path, referrer))
    visits = []
    for who, views in by_visitor.items():
        views = _in_order(views)
        start, first = views[0]
        end, count = start, 0
        for ts, key in views:
            if ts - end > GAP:
                visits.append((start, end, count, who, first))
                start, first, count = ts, key, 0
            end, count = ts, count + 1
        visits.append((start, end, count, who, first))
    return visits


def _in_order(views: list[tuple]) -> list[tuple[datetime, int]]:
    """(time, key) of a visitor's page views in order: by time, then a page whose internal
    referrer is another page of the same second after it, then by request key."""
    return [(ts, key) for ts, key, _ in _sorted_views(views)]


def _sorted_views(views: list[tuple]) -> list[tuple[datetime, int, str]]:
    paths_at = defaultdict(list)
    for ts, _, path, _ in views:
        paths_at[ts].append(path)

    def follows(view) -> int:
        ts, _, path, referrer = view
        same = paths_at[ts]
        return int(len(same) > 1 and referrer is not None and referrer != path and referrer in same)

    ordered = sorted(views, key=lambda v: (v[0], follows(v), v[1]))
    return [(ts, key, path) for ts, key, path, _ in ordered]


def _visit_pages(pageviews) -> list[tuple[tuple, list[str]]]:
    """(visitor, the paths of its page views in order) of every visit."""
    by_visitor = defaultdict(list)
    for site, visitor, ts, key, path, referrer in pageviews:
        by_visitor[site, visitor].append((ts, key, path, referrer))
    visits = []
    for who, views in by_visitor.items():
        end, pages = None, []
        for ts, _, path in _sorted_views(views):
            if end is not None and ts - end > GAP:
                visits.append((who, pages))
                pages = []
            end = ts
            pages.append(path)
        visits.append((who, pages))
    return visits


def _visitors(pageviews, since: datetime, until: datetime) -> int:
    return len({(site, visitor) for site, visitor, ts, *_ in pageviews if since <= ts < until})


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


VISITORS_DAILY = """
    select sum(bit_count(v)) from (
        select site, chunk, bit_or(visitors) as v from visitors_daily
        where day between %s and %s group by site, chunk
    ) as per_chunk
"""
VISITORS_HOURLY = """
    select sum(bit_count(v)) from (
        select site, chunk, bit_or(visitors) as v from visitors_hourly
        where hour >= %s and hour < %s group by site, chunk
    ) as per_chunk
"""


def test_unique_visitors_over_one_day_three_days_and_36_hours_are_exact(loaded, fetch):
    assert fetch(VISITORS_DAILY, END, END) == [
        (_visitors(loaded, _midnight(END), _midnight(END + timedelta(1))),)
    ]
    whole = _visitors(loaded, _midnight(FIRST), _midnight(END + timedelta(1)))
    assert fetch(VISITORS_DAILY, FIRST, END) == [(whole,)]
    since, until = _midnight(FIRST) + timedelta(hours=18), _midnight(END) + timedelta(hours=6)
    assert fetch(VISITORS_HOURLY, since, until) == [(_visitors(loaded, since, until),)]
    assert whole < sum(
        _visitors(loaded, _midnight(FIRST + timedelta(d)), _midnight(FIRST + timedelta(d + 1)))
        for d in range(3)
    )  # returning visitors: a sum of daily uniques would be wrong


def test_page_views_visits_bounces_and_durations_match_the_30_minute_rule(loaded, fetch):
    visits = _visits(loaded)
    expected = defaultdict(lambda: [0, 0, 0, 0.0])
    for ts in (ts for _, _, ts, *_ in loaded):
        expected[ts.date()][0] += 1
    for start, end, count in visits:
        day = expected[start.date()]
        day[1] += 1
        day[2] += count == 1
        day[3] += (end - start).total_seconds()
    rows = fetch(
        "select day, sum(pageviews), sum(visits), sum(bounces), sum(duration_s)"
        " from traffic_daily where channel = '*' group by day order by day"
    )
    assert [(d, int(p), int(v), int(b), s) for d, p, v, b, s in rows] == sorted(
        (d, p, v, b, s) for d, (p, v, b, s) in expected.items()
    )


def test_cache_hit_ratio_by_requests_and_bytes_matches_the_result_types(loaded, fetch):
    hits = lookups = hit_bytes = lookup_bytes = 0
    for result_type, sent in fetch(RESULT_TYPES):
        if result_type in ("Hit", "RefreshHit", "Miss"):
            lookups += 1
            lookup_bytes += sent or 0
            if result_type != "Miss":
                hits += 1
                hit_bytes += sent or 0
    rows = fetch(
        "select sum(cache_hits), sum(cache_lookups), sum(cache_hit_bytes), sum(cache_lookup_bytes)"
        " from requests_daily where device_type = '*'"
    )
    assert rows == [(hits, lookups, hit_bytes, lookup_bytes)]


def test_report_json_equals_plain_python_over_requests(loaded, migrated_db, fetch, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", migrated_db)
    result = CliRunner().invoke(app, ["report", "--json", "--from", str(FIRST), "--to", str(END)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    visits = _visits(loaded)
    assert report["visitors"] == _visitors(loaded, _midnight(FIRST), _midnight(END + timedelta(1)))
    assert report["pageviews"] == len(loaded)
    assert report["visits"] == len(visits)
    assert report["bounce_rate"] == sum(c == 1 for *_, c in visits) / len(visits)
    assert report["views_per_visit"] == len(loaded) / len(visits)
    durations = sum((end - start).total_seconds() for start, end, _ in visits)
    assert report["visit_duration_s"] == pytest.approx(durations / len(visits), rel=1e-12)
    requests, sent, bots = fetch(
        "select count(*), sum(bytes_sent), count(*) filter (where is_bot) from requests"
    )[0]
    assert (report["requests"], report["bytes"], report["bot_requests"]) == (requests, sent, bots)
    top = fetch(
        "select p.path, count(*), count(distinct r.visitor_id) from requests r"
        " join paths p on p.id = r.path_id where r.is_pageview and not r.is_bot"
        " group by p.path order by 2 desc, 1 limit 10"
    )
    assert [(p["path"], p["pageviews"], p["visitors"]) for p in report["top_pages"]] == top
    assert set(report) >= {
        "site", "from", "to", "visitors", "visits", "pageviews", "views_per_visit", "bounce_rate",
        "visit_duration_s", "requests", "bytes", "bot_requests", "cache_hit_ratio", "top_pages",
        "channels", "countries", "devices",
    }  # fmt: skip
    # A visit's channel, country and device are its first page view's.
    attributes = {key: rest for key, *rest in fetch(ATTRIBUTES)}
    channels = defaultdict(lambda: [0, set()])
    countries, devices = defaultdict(set), defaultdict(set)
    for _, _, _, who, first in _visits_with_entries(loaded):
        channel, country, device = attributes[first]
        channels[channel][0] += 1
        channels[channel][1].add(who)
        countries[country].add(who)
        devices[device].add(who)
    assert {c["channel"]: (c["visits"], c["visitors"]) for c in report["channels"]} == {
        name: (visits, len(who)) for name, (visits, who) in channels.items()
    }
    top = sorted(((-len(who), code) for code, who in countries.items()))[:10]
    assert [(c["country_code"], c["visitors"]) for c in report["countries"]] == [
        (code, -count) for count, code in top
    ]
    assert {d["device_type"]: d["visitors"] for d in report["devices"]} == {
        device: len(who) for device, who in devices.items()
    }
    assert {c["country_code"] for c in report["countries"]} - {""}, "GeoIP gave countries"


FILTERED_VISITORS = """
    with channel_set as (
        select site, chunk, bit_or(visitors) as v from visitors_daily
        where channel = %(channel)s group by 1, 2
    ),
    device_set as (
        select site, chunk, bit_or(visitors) as v from audience_visitors_daily
        where kind = 'device' and value = %(device)s group by 1, 2
    ),
    country_set as (
        select site, chunk, bit_or(visitors) as v from audience_visitors_daily
        where kind = 'country' and value = %(country)s group by 1, 2
    )
    select coalesce(sum(bit_count(channel_set.v & device_set.v & country_set.v)), 0)
    from channel_set join device_set using (site, chunk) join country_set using (site, chunk)
"""


def test_visitors_filtered_by_channel_device_and_country_are_exact(loaded, migrated_db, fetch):
    attributes = {key: rest for key, *rest in fetch(ATTRIBUTES)}
    traits, channels = {}, defaultdict(set)
    for *_, who, first in _visits_with_entries(loaded):
        channel, country, device = attributes[first]
        traits.setdefault(who, (device, country))
        channels[channel].add(who)
    checked = 0
    for channel in ("Organic Search", "Direct", "Social"):
        for device in ("mobile", "desktop"):
            for country in ("DE", "US"):
                expected = sum(traits[w] == (device, country) for w in channels[channel])
                params = {"channel": channel, "device": device, "country": country}
                with psycopg.connect(migrated_db) as conn:
                    got = conn.execute(FILTERED_VISITORS, params).fetchone()[0]
                assert got == expected, params
                checked += expected > 0
    assert checked >= 6


def test_transitions_and_three_page_paths_match_the_visits_page_by_page(loaded, fetch):
    pairs, triples = Counter(), Counter()
    for _, pages in _visit_pages(loaded):
        pairs.update(itertools.pairwise(pages))
        triples.update(zip(pages, pages[1:], pages[2:], strict=False))
    rows = fetch(
        "select from_path, to_path, sum(transitions) from transitions_daily"
        " where channel = '*' group by 1, 2"
    )
    assert {(a, b): int(n) for a, b, n in rows} == dict(pairs)
    rows = fetch(
        "select first_path, second_path, third_path, sum(occurrences) from path_triples_daily"
        " where channel = '*' group by 1, 2, 3"
    )
    assert {(a, b, c): int(n) for a, b, c, n in rows} == dict(triples)


def test_cohort_cells_match_when_visitors_were_first_seen(loaded, fetch):
    first_seen, present = {}, defaultdict(set)
    for site, visitor, ts, *_ in loaded:
        who = (site, visitor)
        first_seen[who] = min(first_seen.get(who, ts), ts)
        present[who].add(_monday(ts.date()))
    cells = Counter(
        (_monday(first_seen[who].date()), (week - _monday(first_seen[who].date())).days // 7)
        for who, weeks in present.items()
        for week in weeks
    )
    rows = fetch("select cohort_week, weeks_since, sum(visitors) from cohorts_weekly group by 1, 2")
    assert {(c, w): int(n) for c, w, n in rows} == dict(cells)
    assert any(w > 0 for _, w in cells)


SHOP_FUNNEL = ["/", "/collections/*", "/products/*", "/cart"]


def test_funnel_steps_match_visits_that_passed_them_in_order(
    sample, ingest_logs, migrated_db, tmp_path, fetch
):
    funnels = tmp_path / "funnels.yaml"
    funnels.write_text(f"funnels:\n  - name: Shop\n    steps: {json.dumps(SHOP_FUNNEL)}\n")
    ingest_logs(sample.log_dir, geoip_db=str(sample.geoip_db))
    refresh(migrated_db, settings=Settings.from_env({"EDGELOG_FUNNELS": str(funnels)}))
    with psycopg.connect(migrated_db) as conn:
        pageviews = conn.execute(PAGEVIEWS).fetchall()
    patterns = [re.compile(re.escape(step).replace(r"\*", ".*") + "$") for step in SHOP_FUNNEL]
    reached = defaultdict(set)
    for who, pages in _visit_pages(pageviews):
        step = 0
        for page in pages:
            if step < len(patterns) and patterns[step].match(page):
                step += 1
        for n in range(1, step + 1):
            reached[n].add(who)
    rows = fetch(
        "select step, sum(bit_count(v)) from ("
        " select site, step, chunk, bit_or(visitors) as v from funnels_daily"
        " where channel = '*' group by 1, 2, 3) as per_chunk group by step order by step"
    )
    assert [(step, int(n)) for step, n in rows] == [
        (n, len(who)) for n, who in sorted(reached.items())
    ]
    assert len(rows) == len(SHOP_FUNNEL)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_loading_files_shuffled_over_several_runs_equals_a_full_rebuild(
    sample, tmp_path, ingest_logs, migrated_db, fetch
):
    files = sorted(sample.log_dir.iterdir())
    random.Random(7).shuffle(files)
    for run in range(4):
        directory = tmp_path / f"run{run}"
        directory.mkdir()
        for path in files[run::4]:
            shutil.copy(path, directory / path.name)
        ingest_logs(directory, geoip_db=str(sample.geoip_db))
        refresh(migrated_db)
    incremental = view_rows(migrated_db)
    refresh(migrated_db, full=True)
    assert view_rows(migrated_db) == incremental
    assert sum(len(rows) for rows in incremental.values()) > 1000
