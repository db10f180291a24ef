"""Where the database is, and how to connect to it.

DATABASE_URL wins; without it, the embedded server is started (or reused).
SQLAlchemy gets a `postgresql+psycopg://` URL; psycopg and psql get the plain
`postgresql://` form.
"""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa

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


@lru_cache(maxsize=8)
def engine_for(url: str) -> sa.Engine:
    # No pool: edgelog runs a handful of short queries, and pooled connections
    # would outlive the commands (and the test databases) that opened them.
    return sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
