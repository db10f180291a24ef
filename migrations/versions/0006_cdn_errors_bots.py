"""CDN performance, errors, bots and pipeline health.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Work in progress: filled in by the commits that follow.
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
