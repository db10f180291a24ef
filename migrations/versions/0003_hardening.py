"""Hardening: nobody but the owner creates in `public`; content hashes; daily visitor keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Before PostgreSQL 15, every role may create objects in `public`; the reader
role (and any other login) must not be able to plant a table or function
there that the owner might later call.

A local file's ETag is its modification time and size; when those change,
its content hash (`ingest_ledger.content_hash`, SHA-256 of the bytes loaded)
tells a rewritten file from one merely touched or copied.

With EDGELOG_SALT_ROTATION=daily each UTC day gets a random seed
(`visitor_keys`), from which, with the key kept outside the database, that
day's visitor key is made. The seed is destroyed 48 hours after the day
began, when no more of its logs can arrive: from then on nobody, the
database's owner and the key's holder included, can recompute that day's
visitor ids. No role but the owner may read the table.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("revoke create on schema public from public")
    op.execute("alter table ingest_ledger add column content_hash bytea")
    op.execute("""
        create table visitor_keys (
            day  date primary key,
            seed bytea not null
        )
    """)


def downgrade() -> None:
    op.execute("drop table visitor_keys")
    op.execute("alter table ingest_ledger drop column content_hash")
    # PostgreSQL 15 and newer never granted create on public; granting it back would
    # weaken them.
