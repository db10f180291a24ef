"""Hardening: nobody but the owner creates objects in the public schema.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Before PostgreSQL 15, every role may create objects in `public`; the reader
role (and any other login) must not be able to plant a table or function
there that the owner might later call.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("revoke create on schema public from public")


def downgrade() -> None:
    # PostgreSQL 15 and newer never granted it; granting it back would weaken them.
    pass
