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
