-- one row per site per week (Monday to Sunday, UTC) per channel per three-page path
-- path_triples_daily summed over each whole week: a dashboard reads a month from about
-- four weeks and the days before and after them, the same figures from far fewer rows.
create view path_triples_weekly as

with

triples as (
    select * from rollup_path_triples_weekly
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
        triples.week,
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
