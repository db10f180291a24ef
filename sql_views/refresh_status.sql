-- one row per view: its last refresh
-- When the refresh that last recomputed the view's rollups finished, how long it took, whether
-- it was a full rebuild, and the days it recomputed.
create view refresh_status as

with

refreshes as (
    select * from refresh_log
),

view_names as (
    select distinct unnest(views) as view_name
    from (select views from refreshes order by id desc limit 1000) as recent
),

final as (
    select
        view_names.view_name,
        last_refresh.finished_at as refreshed_at,
        last_refresh.duration_ms,
        last_refresh.full_rebuild,
        last_refresh.days
    from view_names
    cross join lateral (
        select finished_at, duration_ms, full_rebuild, days
        from refreshes
        where refreshes.views @> array[view_names.view_name]
        order by refreshes.id desc
        limit 1
    ) as last_refresh
)

select * from final;
