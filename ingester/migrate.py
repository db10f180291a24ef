"""Alembic, driven from edgelog: upgrade, downgrade and the current revision.

Alembic (and SQLAlchemy under it) costs about 25 MB of memory, so it is only
imported by the commands that change the schema. Checking that a database is
current needs neither: its revision is one query away, and the newest one is
written in the migration files.
"""

from __future__ import annotations

import re

import psycopg

from ingester.resources import bundled

REVISION = re.compile(r'^revision = "(\w+)"', re.MULTILINE)
DOWN_REVISION = re.compile(r'^down_revision = "(\w+)"', re.MULTILINE)


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(bundled("migrations")))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    with psycopg.connect(url) as conn:
        exists = conn.execute("select to_regclass('alembic_version') is not null").fetchone()[0]
        if not exists:
            return None
        row = conn.execute("select version_num from alembic_version").fetchone()
    return row[0] if row else None


def head_revision() -> str | None:
    """The newest revision: the one no migration names as its predecessor."""
    revisions, predecessors = set(), set()
    for path in (bundled("migrations") / "versions").glob("*.py"):
        text = path.read_text()
        revisions.update(REVISION.findall(text))
        predecessors.update(DOWN_REVISION.findall(text))
    heads = revisions - predecessors
    return heads.pop() if len(heads) == 1 else None


def is_current(url: str) -> bool:
    try:
        return current_revision(url) == head_revision()
    except psycopg.OperationalError:
        return False
