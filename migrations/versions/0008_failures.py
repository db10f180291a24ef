"""Failed objects show their attempts and next retry in ingest_failures.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

`edgelog serve` retries a failed object with backoff (0005); the pipeline view
now says how often it was tried and when it is tried next.
"""

from alembic import op

from ingester.roles import grant_read

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen copies of sql_views/<view>.sql.
VIEWS = {
    "ingest_failures": """\
-- one row per object whose load failed
-- The object, when it was last tried and its error, how many times it has been tried and when
-- it is tried again: `edgelog serve` retries it after retry_at until EDGELOG_MAX_ATTEMPTS.
create view ingest_failures as

with

ledger as (
    select * from ingest_ledger
),

final as (
    select
        source,
        key,
        started_at,
        finished_at,
        error,
        attempts,
        retry_at
    from ledger
    where status = 'failed'
)

select * from final;
""",
}
# As 0006 created it: restored by the downgrade.
PREVIOUS = """\
-- one row per object whose load failed
-- The object, when it was last tried and its error; it is retried by later runs.
create view ingest_failures as

with

ledger as (
    select * from ingest_ledger
),

final as (
    select
        source,
        key,
        started_at,
        finished_at,
        error
    from ledger
    where status = 'failed'
)

select * from final;
"""


def upgrade() -> None:
    for view, sql in VIEWS.items():
        op.execute(sql.replace("create view", "create or replace view", 1))
        op.execute(grant_read(view))


def downgrade() -> None:
    op.execute("drop view ingest_failures")
    op.execute(PREVIOUS)
    op.execute(grant_read("ingest_failures"))
