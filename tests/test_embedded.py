import os
import shutil
import socket
import tempfile
from pathlib import Path

import psycopg
import pytest

from ingester.embedded import EmbeddedError, EmbeddedPostgres
from ingester.settings import Settings

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as another user")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_home():
    home = Path(tempfile.mkdtemp(prefix="edgelog-embedded-"))
    home.chmod(0o755)
    yield home
    shutil.rmtree(home, ignore_errors=True)


def test_server_starts_on_loopback_is_reused_and_stops(server_home):
    server = EmbeddedPostgres(server_home / "pgdata", _free_port())
    url = server.ensure_running()
    assert f"@127.0.0.1:{server.port}/edgelog" in url
    with psycopg.connect(url) as conn:
        first_pid = conn.execute("select pg_postmaster_start_time()").fetchone()
    assert EmbeddedPostgres(server_home / "pgdata", server.port).ensure_running() == url
    with psycopg.connect(url) as conn:
        assert conn.execute("select pg_postmaster_start_time()").fetchone() == first_pid
    assert server.stop() is True
    assert server.running_port() is None
    assert server.stop() is False


def test_password_authentication_is_required(server_home):
    server = EmbeddedPostgres(server_home / "pgdata", _free_port())
    server.ensure_running()
    try:
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(f"postgresql://postgres:wrong@127.0.0.1:{server.port}/edgelog")
    finally:
        server.stop()


@as_root
def test_as_root_the_default_data_directory_has_safe_parents():
    data = Settings.from_env({}).pg_data
    assert data == Path("/var/lib/edgelog/postgres")


@as_root
def test_as_root_a_data_directory_behind_a_closed_parent_is_refused(server_home):
    closed = server_home / "closed"
    closed.mkdir(mode=0o700)
    closed.chmod(0o700)
    server = EmbeddedPostgres(closed / "pgdata", _free_port())
    with pytest.raises(EmbeddedError, match=f"because {closed} is closed to other users"):
        server.ensure_running()
    assert closed.stat().st_mode & 0o777 == 0o700
