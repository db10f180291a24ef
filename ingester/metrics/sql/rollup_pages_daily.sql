-- Per page: the day's page views; the visits that began that day on it (entries) and ended on
-- it (exits). Per device, country and channel of the visit, and once more for all of them.
insert into rollup_pages_daily

with

begun as (
    select *
    from visits
    where started_at >= %(day_start)s and started_at < %(day_end)s
),

viewed as (
    select
        site_id,
        path_id,
        device_type,
        country_code,
        channel,
        count(*) as pageviews
    from day_pageviews
    group by 1, 2, 3, 4, 5
),

entered as (
    select site_id, entry_path_id as path_id, device_type, country_code, channel,
           count(*) as entries
    from begun
    group by 1, 2, 3, 4, 5
),

exited as (
    select site_id, exit_path_id as path_id, device_type, country_code, channel,
           count(*) as exits
    from begun
    group by 1, 2, 3, 4, 5
),

specific as (
    select
        site_id,
        path_id,
        device_type,
        country_code,
        channel,
        coalesce(viewed.pageviews, 0) as pageviews,
        coalesce(entered.entries, 0) as entries,
        coalesce(exited.exits, 0) as exits
    from viewed
    full join entered using (site_id, path_id, device_type, country_code, channel)
    full join exited using (site_id, path_id, device_type, country_code, channel)
),

final as (
    select
        site_id,
        %(day)s::date as day,
        path_id,
        coalesce(device_type, '*') as device_type,
        coalesce(country_code, '*') as country_code,
        coalesce(channel, '*') as channel,
        sum(pageviews) as pageviews,
        sum(entries) as entries,
        sum(exits) as exits
    from specific
    group by grouping sets (
        (site_id, path_id, device_type, country_code, channel), (site_id, path_id)
    )
)

select * from final
