"""Alembic, driven from edgelog: upgrade, downgrade and the current revision."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ingester.database import engine_for
from ingester.resources import bundled


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(bundled("migrations")))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    with engine_for(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def is_current(url: str) -> bool:
    try:
        return current_revision(url) == head_revision()
    except sa.exc.OperationalError:
        return False
