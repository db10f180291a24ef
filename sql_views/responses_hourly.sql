-- one row per site per hour per response (how it was answered) and bot flag
-- A response is one combination of status, result types, content type, method, protocol,
-- TLS version and cipher, and edge location.
-- Every request, bots and assets included. status_class is 2xx, 3xx, 4xx, 5xx or 000 (status 0:
-- the viewer hung up before the response); is_incomplete is a status 200 whose result type is
-- Error (the viewer left mid-download); is_range a 206. Text columns are '' when not logged.
create view responses_hourly as

with

response_counts as (
    select * from rollup_responses_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

response_attributes as (
    select
        id as response_id,
        status,
        case when status = 0 then '000' else (status / 100)::text || 'xx' end as status_class,
        coalesce(result_type, '') as result_type,
        coalesce(response_result_type, '') as response_result_type,
        coalesce(detailed_result_type, '') as detailed_result_type,
        coalesce(content_type, '') as content_type,
        coalesce(method, '') as method,
        coalesce(protocol, '') as protocol,
        coalesce(http_version, '') as http_version,
        coalesce(tls_protocol, '') as tls_protocol,
        coalesce(tls_cipher, '') as tls_cipher,
        edge_location,
        status = 200 and result_type = 'Error' as is_incomplete,
        status = 206 as is_range
    from responses
),

final as (
    select
        site_hosts.site,
        response_counts.hour,
        response_counts.response_id,
        response_attributes.status,
        response_attributes.status_class,
        response_attributes.result_type,
        response_attributes.response_result_type,
        response_attributes.detailed_result_type,
        response_attributes.content_type,
        response_attributes.method,
        response_attributes.protocol,
        response_attributes.http_version,
        response_attributes.tls_protocol,
        response_attributes.tls_cipher,
        response_attributes.edge_location,
        response_attributes.is_incomplete,
        response_attributes.is_range,
        response_counts.is_bot,
        response_counts.requests,
        response_counts.bytes
    from response_counts
    join site_hosts using (site_id)
    join response_attributes using (response_id)
)

select * from final;
