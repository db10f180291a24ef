-- Who had a page view that day, by the week (Monday, UTC) they were first seen, as bitmaps of
-- visitor numbers in chunks of 1024. Nothing when visitor keys change daily (no cohorts then).
insert into rollup_cohort_visitors_daily

with

present as (
    select distinct
        day_pageviews.site_id,
        date_trunc('week', numbers.first_seen)::date as cohort_week,
        day_pageviews.visitor_number
    from day_pageviews
    join visitor_numbers as numbers
        on numbers.site_id = day_pageviews.site_id
        and numbers.number = day_pageviews.visitor_number
    where %(cohorts)s
),

final as (
    select
        site_id,
        %(day)s::date as day,
        cohort_week,
        visitor_number / 1024 as chunk,
        bit_or(set_bit(repeat('0', 1024)::bit varying, visitor_number %% 1024, 1)) as visitors
    from present
    group by site_id, cohort_week, visitor_number / 1024
)

select * from final
