-- The week's (Monday to Sunday, UTC) audience sets: the union of its days' sets per trait and
-- chunk, so a month of cities or browsers is about four sets each instead of thirty.
insert into rollup_audience_visitors_weekly

with

days_of_week as (
    select *
    from rollup_audience_visitors_daily
    where day >= %(week)s and day < %(week_end)s
),

final as (
    select
        site_id,
        %(week)s::date as week,
        kind,
        value,
        chunk,
        bit_or(visitors) as visitors
    from days_of_week
    group by site_id, kind, value, chunk
)

select * from final
