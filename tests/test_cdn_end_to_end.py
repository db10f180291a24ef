"""The CDN, error and bot views against plain Python over the rows of `requests`.

Three days of the sample generator's traffic (late files, duplicates, malformed lines, bots,
origin errors, viewers who hang up). Counts must be equal; percentiles read from the latency
histograms within the stated relative error of the exact ones (nearest rank).
"""

import math
import random
import shutil
from collections import defaultdict
from datetime import date

import psycopg
import pytest

from ingester.enrich.bots import bot_category
from ingester.metrics import latency
from ingester.metrics.refresh import refresh
from ingester.sample.generator import generate

END = date(2026, 3, 3)
REQUESTS = """
    select r.ts, date_trunc('hour', r.ts), p.path, c.edge_location, c.result_type, c.status,
           r.bytes_sent, r.time_taken_ms, r.ttfb_ms, r.is_bot, coalesce(u.bot_name, ''),
           r.visitor_id, coalesce(f.domain || f.path, ''), s.host
    from requests r
    join sites s on s.id = r.site_id
    join responses c on c.id = r.response_id
    join paths p on p.id = r.path_id
    left join user_agents u on u.id = r.user_agent_id
    left join referrers f on f.id = r.referrer_id
"""
QUANTILES = (0.5, 0.95, 0.99)
MERGED = """
    select {group}, latency_quantile(array_agg(bucket), array_agg(n), %s)
    from (
        select {group}, bucket, sum(n) as n
        from {view}, unnest({column}_buckets, {column}_counts) as h(bucket, n)
        group by {group}, bucket
    ) as merged
    group by {group}
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("sample"), days=3, lines=9000, end=END)


@pytest.fixture
def loaded(sample, ingest_logs, migrated_db):
    ingest_logs(sample.log_dir, geoip_db=str(sample.geoip_db))
    refresh(migrated_db)
    with psycopg.connect(migrated_db) as conn:
        rows = conn.execute(REQUESTS).fetchall()
    keys = ("ts", "hour", "path", "edge", "result", "status", "sent", "taken", "ttfb", "is_bot",
            "bot", "client", "referrer", "site")  # fmt: skip
    loaded = [dict(zip(keys, row, strict=True)) for row in rows]
    for r in loaded:
        r["day"] = r["ts"].date()
    return loaded


def _close(got: float, exact: int) -> bool:
    return abs(got - exact) <= exact * latency.RELATIVE_ERROR + 1e-9


def test_the_histograms_error_bound_holds_on_generated_durations():
    rng = random.Random(3)
    for shape in (lambda: rng.lognormvariate(4, 1.5), lambda: rng.expovariate(1 / 300)):
        values = [int(shape()) for _ in range(20_000)]
        halves = latency.histogram(values[:10_000]), latency.histogram(values[10_000:])
        merged = defaultdict(int)
        for half in halves:
            for k, n in half.items():
                merged[k] += n
        for q in (0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0):
            assert _close(latency.quantile(merged, q), latency.exact_quantile(values, q)), q
    assert latency.RELATIVE_ERROR < 0.01


def test_hit_ratio_requests_and_bytes_per_edge_location_equal_plain_python(loaded, fetch):
    expected = defaultdict(lambda: [0, 0, 0, 0])
    for r in loaded:
        e = expected[r["edge"]]
        e[0] += 1
        e[1] += r["sent"] or 0
        e[2] += r["result"] in ("Hit", "RefreshHit")
        e[3] += r["result"] in ("Hit", "RefreshHit", "Miss")
    rows = fetch(
        "select edge_location, sum(requests), sum(bytes), sum(cache_hits), sum(cache_lookups)"
        " from edges_daily group by 1"
    )
    assert {edge: list(figures) for edge, *figures in rows} == dict(expected)
    assert len(expected) >= 5
    hourly = fetch("select sum(requests), sum(cache_hits) from edges_hourly")
    assert hourly == [(len(loaded), sum(e[2] for e in expected.values()))]


@pytest.mark.parametrize("column", ["time_taken", "ttfb"])
def test_latency_percentiles_per_edge_path_and_hour_are_within_the_error(loaded, fetch, column):
    field = {"time_taken": "taken", "ttfb": "ttfb"}[column]
    for view, group, key in (
        ("edges_daily", "edge_location", "edge"),
        ("path_performance_daily", "path", "path"),
        ("edges_hourly", "hour", "hour"),
        ("latency_hourly", "hour", "hour"),
        ("latency_daily", "day", "day"),
    ):
        values = defaultdict(list)
        for r in loaded:
            if r[field] is not None:
                values[r[key]].append(r[field])
        for q in QUANTILES:
            got = dict(fetch(MERGED.format(group=group, view=view, column=column), q))
            assert got.keys() == values.keys(), view
            for name, durations in values.items():
                exact = latency.exact_quantile(durations, q)
                assert _close(got[name], exact), (view, name, q, got[name], exact)
    # the percentiles the hourly and daily rows of each site keep
    for view, key in (("latency_hourly", "hour"), ("latency_daily", "day")):
        values = defaultdict(list)
        for r in loaded:
            if r[field] is not None:
                values[r["site"], r[key]].append(r[field])
        for q in (50, 95, 99):
            kept = {
                (site, name): p
                for site, name, p in fetch(f"select site, {key}, {column}_p{q}_ms from {view}")
            }
            assert kept.keys() == values.keys()
            for name, durations in values.items():
                assert _close(kept[name], latency.exact_quantile(durations, q / 100)), (view, q)
    # over the whole range, every row merged
    everything = [r[field] for r in loaded if r[field] is not None]
    for q in QUANTILES:
        ((got,),) = fetch(
            f"select latency_quantile(array_agg(bucket), array_agg(n), {q}) from edges_daily,"
            f" unnest({column}_buckets, {column}_counts) as h(bucket, n)"
        )
        assert _close(got, latency.exact_quantile(everything, q))


def test_status_classes_and_error_paths_equal_plain_python(loaded, fetch):
    classes = defaultdict(int)
    errors = defaultdict(int)
    for r in loaded:
        status = r["status"]
        classes["000" if status == 0 else f"{status // 100}xx"] += 1
        if status == 0 or status >= 400:
            errors[r["ts"].date(), r["path"], status, r["referrer"], r["is_bot"]] += 1
    rows = fetch("select status_class, sum(requests) from results_hourly group by 1")
    assert dict(rows) == dict(classes)
    assert {"000", "2xx", "3xx", "4xx", "5xx"} <= classes.keys()
    rows = fetch(
        "select day, path, status, referrer, is_bot, sum(requests) from errors_daily"
        " group by 1, 2, 3, 4, 5"
    )  # referrers that differ only in what is not shown (e.g. the scheme) are added up
    assert {tuple(key): n for *key, n in rows} == dict(errors)
    incomplete = sum(r["status"] == 200 and r["result"] == "Error" for r in loaded)
    assert fetch("select sum(requests) from results_daily where is_incomplete") == [
        (incomplete or None,)
    ]


def test_bots_requests_clients_and_categories_equal_plain_python(loaded, fetch):
    bots = defaultdict(lambda: [0, set()])
    for r in loaded:
        if r["is_bot"]:
            bots[r["bot"]][0] += 1
            bots[r["bot"]][1].add(r["client"])
    rows = fetch(
        "select bot_name, max(category), sum(requests),"
        " (select count(distinct c) from bots_daily b, unnest(clients) c"
        "  where b.bot_name = d.bot_name)"
        " from bots_daily d group by bot_name"
    )
    assert {name: (category, n, clients) for name, category, n, clients in rows} == {
        name: (bot_category(name), n, len(clients)) for name, (n, clients) in bots.items()
    }
    assert len(bots) >= 3
    assert {bot_category(name) for name in bots} - {"other"}, "some bots have a category"


MINE = (
    "results_hourly", "results_daily", "protocols_daily", "edges_hourly", "edges_daily",
    "latency_hourly", "latency_daily",
    "path_performance_daily", "errors_daily", "bots_daily", "bot_paths_daily",
)  # fmt: skip


def _snapshot(url: str) -> dict[str, list]:
    with psycopg.connect(url) as conn:
        return {
            name: conn.execute(f"select * from {name} order by {name}::text").fetchall()
            for name in MINE
        }


def test_shuffled_late_loads_over_several_runs_equal_a_full_rebuild(
    sample, tmp_path, ingest_logs, migrated_db
):
    files = sorted(sample.log_dir.iterdir())
    random.Random(11).shuffle(files)
    runs = 3
    for run in range(runs):
        directory = tmp_path / f"run{run}"
        directory.mkdir()
        for path in files[run::runs]:
            shutil.copy(path, directory / path.name)
        ingest_logs(directory, geoip_db=str(sample.geoip_db))
        refresh(migrated_db)
    incremental = _snapshot(migrated_db)
    refresh(migrated_db, full=True)
    assert _snapshot(migrated_db) == incremental
    assert all(incremental.values())
    assert math.prod(len(rows) for rows in incremental.values()) > 0
