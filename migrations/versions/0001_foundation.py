"""Foundation: ingest ledger, quarantine, read-only role for Grafana.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per source object (S3 object or local file). Its status becomes
    # 'loaded' in the same transaction that loads its rows, so a crash leaves
    # 'loading' behind and nothing else.
    op.execute("""
        create table ingest_ledger (
            id              integer generated always as identity primary key,
            source          text not null,
            key             text not null,
            etag            text,
            size            bigint,
            status          text not null check (status in ('loading', 'loaded', 'failed')),
            lines_read      integer not null default 0,
            lines_loaded    integer not null default 0,
            lines_duplicate integer not null default 0,
            lines_rejected  integer not null default 0,
            started_at      timestamptz not null default now(),
            finished_at     timestamptz,
            error           text,
            unique (source, key)
        )
    """)
    op.execute("""
        create table quarantine (
            id          bigint generated always as identity primary key,
            object_id   integer not null references ingest_ledger (id) on delete cascade,
            line_number integer not null,
            reason      text not null,
            raw_line    text not null,
            created_at  timestamptz not null default now()
        )
    """)
    op.execute("create index quarantine_object_idx on quarantine (object_id)")

    # Roles belong to the whole cluster, so another database may have created it.
    op.execute("""
        do $$
        begin
            if not exists (select from pg_roles where rolname = 'edgelog_reader') then
                create role edgelog_reader nologin;
            end if;
            execute format('grant connect on database %I to edgelog_reader', current_database());
        end
        $$
    """)
    op.execute("grant usage on schema public to edgelog_reader")


def downgrade() -> None:
    op.execute("revoke usage on schema public from edgelog_reader")
    # Drop the role only when no other database still grants it anything.
    op.execute("""
        do $$
        begin
            execute format('revoke connect on database %I from edgelog_reader', current_database());
            if not exists (
                select from pg_shdepend d join pg_roles r on r.oid = d.refobjid
                where r.rolname = 'edgelog_reader'
            ) then
                drop role edgelog_reader;
            end if;
        end
        $$
    """)
    op.execute("drop table quarantine")
    op.execute("drop table ingest_ledger")
