-- Who viewed each page that day, as bitmaps of visitor numbers in chunks of 1024: per channel
-- of the visit, and once more for every channel (channel '*').
insert into rollup_page_visitors_daily

with

present as (
    select distinct site_id, path_id, channel, visitor_number
    from day_pageviews
),

final as (
    select
        site_id,
        %(day)s::date as day,
        path_id,
        coalesce(channel, '*') as channel,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from present
    group by grouping sets (
        (site_id, path_id, channel, visitor_number / 1024),
        (site_id, path_id, visitor_number / 1024)
    )
)

select * from final
