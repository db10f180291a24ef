-- Who made each page → next page transition in the visits begun that day, as bitmaps of
-- visitor numbers in chunks of 1024 (every channel).
insert into rollup_transition_visitors_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s and pageviews > 1
),

made as (
    select distinct
        begun.site_id,
        begun.paths[step.n] as from_path_id,
        begun.paths[step.n + 1] as to_path_id,
        begun.visitor_number
    from begun
    cross join lateral generate_series(1, begun.pageviews - 1) as step (n)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        from_path_id,
        to_path_id,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from made
    group by site_id, from_path_id, to_path_id, visitor_number / 1024
)

select * from final
