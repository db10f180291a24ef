-- The week's (Monday to Sunday, UTC) transitions: the sums of its days' rows.
insert into rollup_transitions_weekly

with

days_of_week as (
    select *
    from rollup_transitions_daily
    where day >= %(week)s and day < %(week_end)s
),

final as (
    select
        site_id,
        %(week)s::date as week,
        channel,
        from_path_id,
        to_path_id,
        sum(transitions)::bigint as transitions,
        sum(visits)::bigint as visits
    from days_of_week
    group by site_id, channel, from_path_id, to_path_id
)

select * from final
