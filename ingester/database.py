"""Where the database is, and how to connect to it.

DATABASE_URL wins; without it, the embedded server is started (or reused).
SQLAlchemy (under Alembic) gets a `postgresql+psycopg://` URL; psycopg and psql
get the plain `postgresql://` form.
"""

from __future__ import annotations

from ingester.embedded import EmbeddedPostgres
from ingester.settings import Settings


def embedded_server(settings: Settings) -> EmbeddedPostgres:
    return EmbeddedPostgres(settings.pg_data, settings.pg_port)


def database_url(settings: Settings) -> str:
    """A libpq URL for the configured database, starting the embedded one if needed."""
    if settings.database_url:
        return libpq_url(settings.database_url)
    return embedded_server(settings).ensure_running()


def libpq_url(url: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + libpq_url(url)[len("postgresql://") :]
