-- Who had a page view in each hour, as bitmaps of visitor numbers in chunks of 1024: per
-- channel of the visit, and once more for every channel (channel '*').
insert into rollup_visitors_hourly

with

present as (
    select distinct site_id, hour, channel, visitor_number
    from day_pageviews
),

final as (
    select
        site_id,
        hour,
        coalesce(channel, '*') as channel,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from present
    group by grouping sets (
        (site_id, hour, channel, visitor_number / 1024),
        (site_id, hour, visitor_number / 1024)
    )
)

select * from final
