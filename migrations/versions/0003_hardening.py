"""Hardening: nobody but the owner creates objects in the public schema; content hashes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Before PostgreSQL 15, every role may create objects in `public`; the reader
role (and any other login) must not be able to plant a table or function
there that the owner might later call.

A local file's ETag is its modification time and size; when those change,
its content hash (`ingest_ledger.content_hash`, SHA-256 of the bytes loaded)
tells a rewritten file from one merely touched or copied.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("revoke create on schema public from public")
    op.execute("alter table ingest_ledger add column content_hash bytea")


def downgrade() -> None:
    op.execute("alter table ingest_ledger drop column content_hash")
    # PostgreSQL 15 and newer never granted create on public; granting it back would
    # weaken them.
