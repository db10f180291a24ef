-- Who had a page view in each hour, as bitmaps of visitor numbers in chunks of 1024.
insert into rollup_visitors_hourly

with

present as (
    select distinct site_id, hour, device_type, country_code, channel_id, visitor_number
    from day_pageviews
),

final as (
    select
        site_id,
        hour,
        device_type,
        country_code,
        channel_id,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from present
    group by 1, 2, 3, 4, 5, 6
)

select * from final
