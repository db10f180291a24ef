-- one row per hour lines were quarantined per source and reason
-- Lines that could not be read, kept aside with why (their raw text stays in the quarantine
-- table, which the dashboards' role cannot read).
create view quarantine_hourly as

with

quarantined as (
    select object_id, reason, created_at from quarantine
),

ledger as (
    select id as object_id, source from ingest_ledger
),

final as (
    select
        date_trunc('hour', quarantined.created_at) as hour,
        ledger.source,
        quarantined.reason,
        count(*) as lines
    from quarantined
    join ledger using (object_id)
    group by 1, 2, 3
)

select * from final;
