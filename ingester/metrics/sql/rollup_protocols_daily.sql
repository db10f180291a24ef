-- Every request of the day, bots and assets included, by content type, method, protocol, HTTP
-- version, TLS version and cipher, and bot flag.
insert into rollup_protocols_daily

with

day_requests as (
    select
        requests.site_id,
        coalesce(responses.content_type, '') as content_type,
        coalesce(responses.method, '') as method,
        coalesce(responses.protocol, '') as protocol,
        coalesce(responses.http_version, '') as http_version,
        coalesce(responses.tls_protocol, '') as tls_protocol,
        coalesce(responses.tls_cipher, '') as tls_cipher,
        requests.is_bot,
        requests.bytes_sent
    from requests
    join responses on responses.id = requests.response_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
),

final as (
    select
        site_id,
        %(day)s::date as day,
        content_type,
        method,
        protocol,
        http_version,
        tls_protocol,
        tls_cipher,
        is_bot,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes
    from day_requests
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
)

select * from final
