"""Worker processes load exactly what one process loads."""

import psycopg

from ingester import migrate
from ingester.ingest import ingest
from ingester.progress import LogProgress
from ingester.sample.generator import generate
from ingester.settings import Settings

# Dimension ids differ between databases: compare what they stand for.
ROWS = """
    select r.ts, r.request_key, r.visitor_id, r.bytes_sent, r.is_pageview, r.is_bot,
           s.host, p.path, o.status, o.edge_location, c.name, l.city
    from requests r
    join sites s on s.id = r.site_id
    join paths p on p.id = r.path_id
    join responses o on o.id = r.response_id
    join channels c on c.id = r.channel_id
    left join locations l on l.id = r.location_id
    order by r.request_key
"""
TOTALS = """
    select count(*), sum(lines_loaded), sum(lines_duplicate), sum(lines_rejected)
    from ingest_ledger
"""


def load(url: str, logs, geoip, workers: str):
    env = {"EDGELOG_WORKERS": workers, "EDGELOG_SALT": "fixed", "EDGELOG_GEOIP_DB": str(geoip)}
    summary = ingest([str(logs)], Settings.from_env(env), url, LogProgress())
    with psycopg.connect(url) as conn:
        return summary, conn.execute(ROWS).fetchall(), conn.execute(TOTALS).fetchone()


def test_worker_processes_store_the_same_rows_as_one_process(tmp_path, migrated_db, empty_db):
    sample = generate(tmp_path / "sample", days=1, lines=20_000, seed=3)
    migrate.upgrade(empty_db)
    parallel, rows, totals = load(migrated_db, sample.log_dir, sample.geoip_db, workers="3")
    single, *expected = load(empty_db, sample.log_dir, sample.geoip_db, workers="1")
    assert parallel.failed == single.failed == 0
    assert parallel.lines_read == sample.lines
    assert [rows, totals] == expected
    assert len(rows) > 19_000
