-- one row per site per UTC day per status, result types and bot flag
-- Every request, bots and assets included, by status and by x-edge-result-type (result_type),
-- x-edge-response-result-type and x-edge-detailed-result-type ('' when not logged).
-- status_class is 2xx, 3xx, 4xx, 5xx or 000 (status 0: the viewer hung up before the
-- response); is_incomplete is a status 200 whose result type is Error (the viewer left
-- mid-download); is_range a 206.
create view results_daily as

with

result_counts as (
    select * from rollup_results_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        result_counts.day,
        result_counts.status,
        case
            when result_counts.status = 0 then '000'
            else (result_counts.status / 100)::text || 'xx'
        end as status_class,
        result_counts.result_type,
        result_counts.response_result_type,
        result_counts.detailed_result_type,
        result_counts.status = 200 and result_counts.result_type = 'Error' as is_incomplete,
        result_counts.status = 206 as is_range,
        result_counts.is_bot,
        result_counts.requests,
        result_counts.bytes
    from result_counts
    join site_hosts using (site_id)
)

select * from final;
