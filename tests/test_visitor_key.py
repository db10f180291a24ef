"""The visitor key lives outside the database it protects: a dump alone cannot be
hashed against every IPv4 address to find who a visitor was."""

import contextlib
import hashlib
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
from logfiles import write_log
from typer.testing import CliRunner

from ingester.cli import app
from ingester.enrich.visitor import VisitorHasher
from ingester.load.salt import DayKeys, destroy_expired_day_keys
from ingester.settings import Settings

AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"  # logfiles.line's, decoded
KEY_COLUMNS = """
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and c.data_type in ('bytea', 'text', 'character varying', 'ARRAY')
"""


def stored_values(fetch) -> list[bytes]:
    """Every bytea, text and array value of every table, as bytes."""
    values = []
    for table, column in fetch(KEY_COLUMNS):
        for (value,) in fetch(f'select "{column}" from "{table}" where "{column}" is not null'):
            values.append(bytes(value) if isinstance(value, bytes | memoryview) else str(value))
    return [v if isinstance(v, bytes) else v.encode() for v in values]


def visitor_of_line_zero(key: bytes) -> int:
    return VisitorHasher(key).visitor_id("www.example.com", "198.51.100.0", AGENT, "")


def test_the_generated_visitor_key_is_kept_outside_the_database(tmp_path, ingest_logs, fetch):
    key_file = tmp_path / "keys" / "visitor-key"
    (tmp_path / "logs").mkdir()
    write_log(tmp_path / "logs" / "a.gz", range(5))
    ingest_logs(tmp_path / "logs", salt_file=str(key_file))
    key = bytes.fromhex(key_file.read_text())
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert visitor_of_line_zero(key) in {v for (v,) in fetch("select visitor_id from requests")}
    leaked = [v for v in stored_values(fetch) if key in v or key.hex().encode() in v]
    assert leaked == []


def test_the_key_file_is_in_the_user_data_directory_by_default():
    data = Path(os.environ["XDG_DATA_HOME"])  # the tests' own temporary one
    assert Settings.from_env({}).salt_file == data / "edgelog" / "visitor-key"


def test_a_key_an_older_version_kept_in_the_database_moves_to_the_key_file(
    tmp_path, migrated_db, ingest_logs, fetch
):
    legacy = bytes(range(32))
    with psycopg.connect(migrated_db) as conn:
        conn.execute("insert into secrets (name, value) values ('visitor_salt', %s)", [legacy])
    key_file = tmp_path / "visitor-key"
    write_log(tmp_path / "a.gz", range(5))
    ingest_logs(tmp_path / "a.gz", salt_file=str(key_file))
    assert key_file.read_text().strip() == legacy.hex()
    assert fetch("select count(*) from secrets") == [(0,)]
    # Visitor ids go on as before the move.
    assert visitor_of_line_zero(legacy) in {v for (v,) in fetch("select visitor_id from requests")}


def test_an_unreadable_key_file_stops_ingest_with_a_clear_error(tmp_path, migrated_db):
    key_file = tmp_path / "visitor-key"
    key_file.write_text("not a key\n")
    write_log(tmp_path / "a.gz", range(2))
    env = {"DATABASE_URL": migrated_db, "EDGELOG_SALT_FILE": str(key_file)}
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.gz")], env=env)
    assert result.exit_code == 2
    assert f"{key_file} does not hold a visitor key" in result.output


def candidate_keys(fetch, key_file) -> set[bytes]:
    """Everything someone holding a dump and the key file could try as a key: every stored
    value (raw, and as hex), the key file's key."""
    found = {bytes.fromhex(key_file.read_text())}
    for value in stored_values(fetch):
        if len(value) <= 64:
            found.add(value)
            with contextlib.suppress(ValueError):  # not hex, or not even text
                found.add(bytes.fromhex(value.decode()))
    return {k for k in found if 0 < len(k) <= 64}


def recomputable(visitor_ids: set[int], keys: set[bytes], day: str) -> set[int]:
    """The stored visitor ids some candidate key gives, directly or derived for the day."""
    made = set()
    for key in keys:
        derived = [
            key,
            hashlib.blake2b(day.encode(), key=key, digest_size=32, person=b"edgelog-day").digest(),
        ]
        derived += [
            hashlib.blake2b(seed, key=key, digest_size=32, person=b"edgelog-day").digest()
            for seed in keys
        ]
        made |= {visitor_of_line_zero(k) for k in derived}
    return made & visitor_ids


def test_after_a_day_key_is_destroyed_no_stored_value_recomputes_that_days_visitors(
    tmp_path, ingest_logs, fetch
):
    key_file = tmp_path / "visitor-key"
    write_log(tmp_path / "a.gz", range(5), day="2024-05-01")  # long past: destroyed at once
    ingest_logs(tmp_path / "a.gz", salt_rotation="daily", salt_file=str(key_file))
    assert fetch("select count(*) from visitor_keys") == [(0,)]
    visitors = {v for (v,) in fetch("select visitor_id from requests")}
    assert recomputable(visitors, candidate_keys(fetch, key_file), "2024-05-01") == set()


def test_a_late_line_after_its_day_key_was_destroyed_gets_a_fresh_key(tmp_path, ingest_logs, fetch):
    write_log(tmp_path / "a.gz", [0], day="2024-05-01")
    write_log(tmp_path / "b.gz", [200], day="2024-05-01")  # the same visitor, another request
    ingest_logs(tmp_path / "a.gz", salt_rotation="daily")
    ingest_logs(tmp_path / "b.gz", salt_rotation="daily")
    first, second = (v for (v,) in fetch("select visitor_id from requests order by ts"))
    assert first != second


def test_a_day_keeps_its_key_while_its_logs_can_still_arrive(tmp_path, ingest_logs, fetch):
    today = datetime.now(UTC).date().isoformat()
    write_log(tmp_path / "a.gz", [0], day=today)
    write_log(tmp_path / "b.gz", [200], day=today)
    ingest_logs(tmp_path / "a.gz", salt_rotation="daily")
    ingest_logs(tmp_path / "b.gz", salt_rotation="daily")
    assert fetch("select count(distinct visitor_id) from requests") == [(1,)]


def test_day_keys_live_48_hours_and_their_destruction_leaves_no_copy_in_the_table(
    migrated_db,
):
    salt = bytes(32)
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        DayKeys(conn, salt)("2024-05-02")  # still live when 2024-05-01 goes, on the same page
        key = DayKeys(conn, salt)("2024-05-01")
        assert DayKeys(conn, salt)("2024-05-01") == key  # every loader gets the same one
        (seed,) = conn.execute("select seed from visitor_keys where day = '2024-05-01'").fetchone()
        assert destroy_expired_day_keys(conn, date(2024, 5, 2)) == 0  # late logs still come
        assert destroy_expired_day_keys(conn, date(2024, 5, 3)) == 1  # 48 hours after 00:00
        conn.execute("checkpoint")  # what is left of the table is on disk now
        (pages,) = conn.execute(
            "select pg_read_binary_file(pg_relation_filepath('visitor_keys'))"
        ).fetchone()
        assert bytes(seed) not in pages
        assert DayKeys(conn, salt)("2024-05-01") != key  # a late line: a fresh key
