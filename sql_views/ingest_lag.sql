-- one row per database: how far behind the metrics are
-- newest_request_hour: the newest hour with requests, as last refreshed (from the '*' rows of
-- rollup_requests_hourly, through their index); ingest_lag_s: seconds from the end of that hour
-- to now (0 within it). last_loaded_at: when the last object finished loading;
-- last_refreshed_at: when the metrics were last refreshed. Never reads the requests.
create view ingest_lag as

with

newest_hour as (
    select max(hour) as newest_request_hour
    from rollup_requests_hourly
    where device_type = '*'
),

last_load as (
    select max(finished_at) as last_loaded_at from ingest_ledger where status = 'loaded'
),

last_refresh as (
    select max(finished_at) as last_refreshed_at from refresh_log
),

final as (
    select
        newest_hour.newest_request_hour,
        greatest(
            extract(epoch from now() - newest_hour.newest_request_hour - interval '1 hour'), 0
        )::double precision as ingest_lag_s,
        last_load.last_loaded_at,
        last_refresh.last_refreshed_at
    from newest_hour, last_load, last_refresh
)

select * from final;
