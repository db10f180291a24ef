"""Pipeline health views: given ledger, quarantine and refresh log rows, the exact rows."""

import gzip
from datetime import UTC, date, datetime

import psycopg
import pytest
from logfiles import request, write_requests

from ingester.metrics import views
from ingester.metrics.refresh import refresh


def at(when: str) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=UTC)


@pytest.fixture
def ledger(migrated_db):
    with psycopg.connect(migrated_db) as conn:
        conn.execute("""
            insert into ingest_ledger (source, key, status, lines_read, lines_loaded,
                lines_duplicate, lines_rejected, started_at, finished_at, error)
            values
            ('s3://logs', 'cf/E2AB.2024-05-01-10.aaaa.gz', 'loaded', 10, 8, 1, 1,
             '2024-05-01 11:05:00+00', '2024-05-01 11:05:02+00', null),
            ('s3://logs', 'cf/E2AB.2024-05-01-10.bbbb.gz', 'loaded', 5, 5, 0, 0,
             '2024-05-01 11:15:00+00', '2024-05-01 11:15:01+00', null),
            ('s3://logs', 'cf/E2AB.2024-05-01-09.cccc.gz', 'failed', 0, 0, 0, 0,
             '2024-05-01 11:20:00+00', '2024-05-01 11:20:01+00', 'EOFError: truncated'),
            ('s3://logs', 'cf/notes.txt', 'loaded', 2, 2, 0, 0,
             '2024-05-01 12:00:00+00', '2024-05-01 12:00:01+00', null)
        """)
        first = conn.execute("select min(id) from ingest_ledger").fetchone()[0]
        conn.execute(
            "insert into quarantine (object_id, line_number, reason, raw_line, created_at)"
            " values (%s, 3, 'expected 33 fields, got 2', 'x\ty', '2024-05-01 11:05:01+00')",
            [first],
        )


def test_ingest_hourly_counts_objects_lines_and_delivery_delays(ledger, fetch):
    assert fetch("select * from ingest_hourly order by hour, status") == [
        # 11:05 and 11:15 for the hour 10:00: 65 and 75 minutes
        (at("2024-05-01 11:00"), "s3://logs", "failed", 1, 0, 0, 0, 0, 8400.0, 8400.0),
        (at("2024-05-01 11:00"), "s3://logs", "loaded", 2, 15, 13, 1, 1, 4200.0, 4500.0),
        (at("2024-05-01 12:00"), "s3://logs", "loaded", 1, 2, 2, 0, 0, None, None),
    ]


def test_quarantine_hourly_counts_lines_by_reason(ledger, fetch):
    assert fetch("select * from quarantine_hourly") == [
        (at("2024-05-01 11:00"), "s3://logs", "expected 33 fields, got 2", 1)
    ]


def test_ingest_failures_lists_failed_objects_with_their_errors(ledger, fetch):
    assert fetch("select source, key, error from ingest_failures") == [
        ("s3://logs", "cf/E2AB.2024-05-01-09.cccc.gz", "EOFError: truncated")
    ]


def test_ingest_lag_and_refresh_status_after_a_load_and_a_refresh(
    tmp_path, ingest_logs, migrated_db, fetch
):
    write_requests(tmp_path / "a.gz", [request("2024-05-01 10:20:00", "/")])
    ingest_logs(tmp_path)
    refresh(migrated_db)
    ((hour, lag, loaded_at, refreshed_at),) = fetch("select * from ingest_lag")
    assert hour == at("2024-05-01 10:00")
    now = datetime.now(UTC)
    assert lag == pytest.approx((now - at("2024-05-01 11:00")).total_seconds(), abs=120)
    assert loaded_at <= refreshed_at <= now
    rows = fetch("select view_name, refreshed_at, duration_ms >= 0, full_rebuild, days"
                 " from refresh_status order by 1")  # fmt: skip
    assert [row[0] for row in rows] == sorted(views.names())
    assert {(*row[1:4], tuple(row[4])) for row in rows} == {
        (refreshed_at, True, False, (date(2024, 5, 1),))
    }
    refresh(migrated_db, ["bots_daily"], full=True)
    rows = dict(fetch("select view_name, full_rebuild from refresh_status"))
    assert rows["bots_daily"] is True and rows["edges_daily"] is False


def test_a_full_refresh_of_a_pipeline_view_has_nothing_to_rebuild(migrated_db):
    result = refresh(migrated_db, ["ingest_hourly"], full=True)
    assert (result.views, result.days, result.rows) == (["ingest_hourly"], [], 0)


def test_ingest_failures_say_how_often_an_object_was_tried_and_when_it_is_tried_next(
    tmp_path, ingest_logs, fetch
):
    broken = gzip.compress(("#Version: 1.0\n" + "x" * 5000).encode())
    (tmp_path / "broken.gz").write_bytes(broken[: len(broken) // 2])
    ingest_logs(tmp_path)
    ingest_logs(tmp_path)  # edgelog ingest tries failed objects again at every run
    rows = fetch("select key, attempts, retry_at > finished_at from ingest_failures")
    assert rows == [(str(tmp_path / "broken.gz"), 2, True)]
