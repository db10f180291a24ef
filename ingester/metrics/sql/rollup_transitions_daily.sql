-- Page → next page within the visits begun that day: how often, and in how many visits; per
-- channel of the visit, and once more for every channel ('*').
insert into rollup_transitions_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s and pageviews > 1
),

steps as (
    select
        begun.site_id,
        begun.visitor_number,
        begun.started_at,
        begun.channel,
        begun.paths[step.n] as from_path_id,
        begun.paths[step.n + 1] as to_path_id
    from begun
    cross join lateral generate_series(1, begun.pageviews - 1) as step (n)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        coalesce(channel, '*') as channel,
        from_path_id,
        to_path_id,
        count(*) as transitions,
        count(distinct (visitor_number, started_at)) as visits
    from steps
    group by grouping sets (
        (site_id, channel, from_path_id, to_path_id),
        (site_id, from_path_id, to_path_id)
    )
)

select * from final
