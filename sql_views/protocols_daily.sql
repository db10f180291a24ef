-- one row per site per UTC day per content type, method, protocol, TLS and bot flag
-- Every request, bots and assets included, by the response's content type, the request's
-- method, protocol (http, https, ws, wss), HTTP version, TLS version and cipher ('' when not
-- logged, as TLS on plain HTTP).
create view protocols_daily as

with

protocol_counts as (
    select * from rollup_protocols_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        protocol_counts.day,
        protocol_counts.content_type,
        protocol_counts.method,
        protocol_counts.protocol,
        protocol_counts.http_version,
        protocol_counts.tls_protocol,
        protocol_counts.tls_cipher,
        protocol_counts.is_bot,
        protocol_counts.requests,
        protocol_counts.bytes
    from protocol_counts
    join site_hosts using (site_id)
)

select * from final;
