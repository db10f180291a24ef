"""CDN performance, errors, bots and pipeline health.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Work in progress: filled in by the commits that follow.
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
