-- one row per site per UTC day per page → next page per chunk of visitor numbers
-- Who made the transition within a visit begun that day, as a bitmap (bit b of chunk c is the
-- visitor numbered c * 1024 + b): union per site and chunk, then bit_count. Every channel.
create view transition_visitors_daily as

with

transition_visitors as (
    select * from rollup_transition_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        transition_visitors.day,
        transition_visitors.from_path_id,
        from_paths.path as from_path,
        transition_visitors.to_path_id,
        to_paths.path as to_path,
        transition_visitors.chunk,
        transition_visitors.visitors
    from transition_visitors
    join site_hosts using (site_id)
    join path_texts as from_paths on from_paths.path_id = transition_visitors.from_path_id
    join path_texts as to_paths on to_paths.path_id = transition_visitors.to_path_id
)

select * from final;
