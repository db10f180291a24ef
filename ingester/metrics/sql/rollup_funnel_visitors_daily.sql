-- Per funnel (funnel_steps) and step: who reached that step, having passed every step before
-- it in order, within one visit begun that day; per channel of the visit and for all channels.
insert into rollup_funnel_visitors_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
),

funnels as (
    select funnel, array_agg(pattern order by step) as patterns
    from funnel_steps
    group by funnel
),

visit_paths as (
    select
        begun.site_id,
        begun.visitor_number,
        begun.channel,
        array(
            select paths.path
            from unnest(begun.paths) with ordinality as visited (path_id, n)
            join paths on paths.id = visited.path_id
            order by visited.n
        ) as path_texts
    from begun
),

reached as (
    select
        visit_paths.site_id,
        visit_paths.visitor_number,
        visit_paths.channel,
        funnels.funnel,
        funnel_steps_reached(visit_paths.path_texts, funnels.patterns) as steps
    from visit_paths
    cross join funnels
),

steps as (
    select distinct reached.site_id, reached.funnel, step.n as step, reached.channel,
                    reached.visitor_number
    from reached
    cross join lateral generate_series(1, reached.steps) as step (n)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        funnel,
        step,
        coalesce(channel, '*') as channel,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from steps
    group by grouping sets (
        (site_id, funnel, step, channel, visitor_number / 1024),
        (site_id, funnel, step, visitor_number / 1024)
    )
)

select * from final
