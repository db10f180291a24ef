-- one row per site per week (Monday to Sunday, UTC) per channel per page → next page
-- transitions_daily summed over each whole week: a dashboard reads a month from about four
-- weeks and the days before and after them, the same figures from far fewer rows.
create view transitions_weekly as

with

transitions as (
    select * from rollup_transitions_weekly
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
        transitions.week,
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
