-- one row per site per UTC day per channel of the visit per page → next page
-- Within the visits begun that day: how often a page view of from_path was followed by one
-- of to_path, and in how many visits. For Grafana's Node graph: edges are transitions, nodes
-- are pages. Channel '*' rows hold the sums over every channel.
create view transitions_daily as

with

transitions as (
    select * from rollup_transitions_daily
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
        transitions.day,
        transitions.channel,
        transitions.from_path_id,
        from_paths.path as from_path,
        transitions.to_path_id,
        to_paths.path as to_path,
        transitions.transitions,
        transitions.visits
    from transitions
    join site_hosts using (site_id)
    join path_texts as from_paths on from_paths.path_id = transitions.from_path_id
    join path_texts as to_paths on to_paths.path_id = transitions.to_path_id
)

select * from final;
