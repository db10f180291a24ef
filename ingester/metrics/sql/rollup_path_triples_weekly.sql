-- The week's (Monday to Sunday, UTC) three-page paths: the sums of its days' rows, so a
-- dashboard reads a month in about four rows per path instead of thirty.
insert into rollup_path_triples_weekly

with

days_of_week as (
    select *
    from rollup_path_triples_daily
    where day >= %(week)s and day < %(week_end)s
),

final as (
    select
        site_id,
        %(week)s::date as week,
        channel,
        first_path_id,
        second_path_id,
        third_path_id,
        sum(occurrences)::bigint as occurrences,
        sum(visits)::bigint as visits
    from days_of_week
    group by site_id, channel, first_path_id, second_path_id, third_path_id
)

select * from final
