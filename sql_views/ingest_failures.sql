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
