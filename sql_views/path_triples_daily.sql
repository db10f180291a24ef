-- one row per site per UTC day per channel of the visit per three-page path
-- Three pages viewed one right after the other within the visits begun that day: how often,
-- and in how many visits (two-page paths are transitions_daily). Channel '*' rows hold the
-- sums over every channel.
create view path_triples_daily as

with

triples as (
    select * from rollup_path_triples_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

-- Not materialized, and left joins below: a query that reads only the path ids (to rank
-- the paths first and name only the top ones) reads no path names at all.
path_texts as not materialized (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        triples.day,
        triples.channel,
        triples.first_path_id,
        first_paths.path as first_path,
        triples.second_path_id,
        second_paths.path as second_path,
        triples.third_path_id,
        third_paths.path as third_path,
        triples.occurrences,
        triples.visits
    from triples
    left join site_hosts using (site_id)
    left join path_texts as first_paths on first_paths.path_id = triples.first_path_id
    left join path_texts as second_paths on second_paths.path_id = triples.second_path_id
    left join path_texts as third_paths on third_paths.path_id = triples.third_path_id
)

select * from final;
