-- one row per hour an object finished loading (or began, while loading) per source and status
-- Objects taken up from each source and their lines: loaded, duplicate (already stored) and
-- quarantined. Delivery delay: when the object was taken up, against the start of the hour its
-- CloudFront name gives (<distribution>.YYYY-MM-DD-HH.<id>.gz), median and max in seconds over
-- the objects whose name has an hour. Reads the ingest ledger only: cheap however many
-- requests are stored.
create view ingest_hourly as

with

ledger as (
    select * from ingest_ledger
),

objects as (
    select
        source,
        status,
        date_trunc('hour', coalesce(finished_at, started_at)) as hour,
        lines_read,
        lines_loaded,
        lines_duplicate,
        lines_rejected,
        extract(epoch from started_at - to_timestamp(
            substring(key from '[.]([0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2})[.][^/]*$'),
            'yyyy-mm-dd-hh24'
        )::timestamp at time zone 'utc')::double precision as delivery_delay_s
    from ledger
),

final as (
    select
        hour,
        source,
        status,
        count(*) as objects,
        sum(lines_read) as lines_read,
        sum(lines_loaded) as lines_loaded,
        sum(lines_duplicate) as lines_duplicate,
        sum(lines_rejected) as lines_quarantined,
        percentile_cont(0.5) within group (order by delivery_delay_s) as delivery_delay_p50_s,
        max(delivery_delay_s) as delivery_delay_max_s
    from objects
    group by 1, 2, 3
)

select * from final;
