-- Give each new visitor with a page view in the window the next dense number of its site,
-- in the order they were first seen.
insert into visitor_numbers (site_id, visitor_id, number, first_seen)

with

new_visitors as (
    select r.site_id, r.visitor_id, min(r.ts) as first_seen
    from requests as r
    where r.ts >= %(lo)s and r.ts < %(hi)s
      and r.is_pageview and not r.is_bot
      and not exists (
          select from visitor_numbers as n
          where n.site_id = r.site_id and n.visitor_id = r.visitor_id
      )
    group by r.site_id, r.visitor_id
),

-- materialized: read once, before any insert (evaluated per inserted row, each read would
-- step over every number this statement had already inserted)
last_numbers as materialized (
    select
        sites.site_id,
        coalesce((select max(number) from visitor_numbers as n where n.site_id = sites.site_id), 0)
            as last_number
    from (select distinct site_id from new_visitors) as sites
),

final as (
    select
        new_visitors.site_id,
        new_visitors.visitor_id,
        last_numbers.last_number + row_number() over (
            partition by new_visitors.site_id
            order by new_visitors.first_seen, new_visitors.visitor_id
        ) as number,
        new_visitors.first_seen
    from new_visitors
    join last_numbers using (site_id)
)

select * from final
