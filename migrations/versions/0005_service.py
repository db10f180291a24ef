"""Service: what `edgelog serve` did, for `edgelog status` and `edgelog health`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

`poll_log` has a row per poll of the service's source: when, how it ended
and what it loaded. `source_backfills` remembers that a source was listed
whole (or from EDGELOG_BACKFILL_SINCE on): the polls after it list only the
recent keys. A failed object counts its attempts and is not tried again
before `retry_at`, so one bad object is retried a few times with a growing
pause instead of at every poll forever.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        create table poll_log (
            id              bigint generated always as identity primary key,
            source          text not null,
            started_at      timestamptz not null,
            finished_at     timestamptz not null,
            outcome         text not null check (outcome in ('ok', 'failed', 'stopped')),
            backfill        boolean not null,
            objects_loaded  integer not null default 0,
            objects_skipped integer not null default 0,
            objects_failed  integer not null default 0,
            lines_loaded    bigint not null default 0,
            error           text
        )
    """)
    op.execute("create index poll_log_finished_at on poll_log (finished_at)")
    op.execute("""
        create table source_backfills (
            source      text primary key,
            since       timestamptz,          -- null: the whole source
            finished_at timestamptz not null
        )
    """)
    op.execute("alter table ingest_ledger add column attempts integer not null default 0")
    op.execute("alter table ingest_ledger add column retry_at timestamptz")


def downgrade() -> None:
    op.execute("alter table ingest_ledger drop column retry_at")
    op.execute("alter table ingest_ledger drop column attempts")
    op.execute("drop table source_backfills")
    op.execute("drop table poll_log")
