"""The read-only role gets the memory a dashboard's queries need, a time limit, and quoting
that a backslash cannot break.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Grafana's panels aggregate a month of rollup rows (visitor sets per page, three-page paths):
with PostgreSQL's default 4 MB of work memory their sorts spill to disk, and a 30-day dashboard
took a third longer. 64 MB keeps them in memory. The settings apply to the reader's sessions in
this database only (every Grafana connection), never to loads or refreshes; the time limit
stops a runaway query from holding a connection.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# standard_conforming_strings: a backslash in a quoted value is a backslash, never an escape
# (PostgreSQL's default, pinned here because Grafana's sqlstring doubles quotes only).
SETTINGS = {"work_mem": "64MB", "statement_timeout": "60s", "standard_conforming_strings": "on"}


def _for_reader(clause: str) -> str:
    """Run `alter role ... in database <this one> <clause>` (the name is only known here)."""
    return f"""
        do $$
        begin
            execute format('alter role edgelog_reader in database %I {clause}',
                           current_database());
        end
        $$
    """


def upgrade() -> None:
    for name, value in SETTINGS.items():
        op.execute(_for_reader(f"set {name} = ''{value}''"))


def downgrade() -> None:
    for name in SETTINGS:
        op.execute(_for_reader(f"reset {name}"))
