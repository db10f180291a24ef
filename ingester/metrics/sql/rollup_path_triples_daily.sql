-- Three pages viewed one after the other within the visits begun that day: how often, and in
-- how many visits; per channel of the visit, and once more for every channel ('*').
insert into rollup_path_triples_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s and pageviews > 2
),

steps as (
    select
        begun.site_id,
        begun.visitor_number,
        begun.started_at,
        begun.channel,
        begun.paths[step.n] as first_path_id,
        begun.paths[step.n + 1] as second_path_id,
        begun.paths[step.n + 2] as third_path_id
    from begun
    cross join lateral generate_series(1, begun.pageviews - 2) as step (n)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        coalesce(channel, '*') as channel,
        first_path_id,
        second_path_id,
        third_path_id,
        count(*) as occurrences,
        count(distinct (visitor_number, started_at)) as visits
    from steps
    group by grouping sets (
        (site_id, channel, first_path_id, second_path_id,
         third_path_id),
        (site_id, first_path_id, second_path_id, third_path_id)
    )
)

select * from final
