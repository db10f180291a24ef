"""SQL of the Pages dashboard (grafana/dashboards/pages.py)."""

from grafana.queries.common import BOTS, CHANNEL, DAYS, PEOPLE, SITE, ratio, visitors

# The page typed in (or set by a link from another dashboard); empty means every page.
PAGE = "(${page:sqlstring} = '' or path = ${page:sqlstring})"


def _percent(part: str, whole: str) -> str:
    """part / whole as a percentage with one decimal, for a table whose unit is a count."""
    return f"round(100 * {ratio(part, whole)}::numeric, 1)"


def _page_figure(figure: str, label: str) -> str:
    """One figure over the pages_daily rows of the chosen page(s), filters and range."""
    return f"""
    select {figure} as "{label}"
    from pages_daily
    where {SITE} and {DAYS} and {PEOPLE} and {PAGE}
    """


PAGEVIEWS = _page_figure("coalesce(sum(pageviews), 0)::bigint", "Page views")
ENTRIES = _page_figure("coalesce(sum(entries), 0)::bigint", "Entries")
EXIT_RATE = _page_figure(ratio("sum(exits)", "sum(pageviews)"), "Exit rate")
# Everyone who viewed the chosen page (or any page): the union of the pages' visitor sets.
VISITORS = f"""
select visitors as "Visitors"
from ({visitors("page_visitors_daily", f"{SITE} and {DAYS} and {CHANNEL} and {PAGE}")}) as seen
"""

# The 50 pages with most page views; visitors only for those (unions per page are the
# costly part, so they are not computed for pages the table does not show). Their ids, as an
# array, reach the scan under the view and its index on pages.
TOP_PAGES = f"""
with ranked as (
    select path, min(path_id) as path_id, sum(pageviews)::bigint as pageviews,
           sum(entries)::bigint as entries, sum(exits)::bigint as exits
    from pages_daily
    where {SITE} and {DAYS} and {PEOPLE} and {PAGE}
    group by path
    order by pageviews desc, path
    limit 50
),
seen as ({
    visitors(
        "page_visitors_daily",
        f"{SITE} and {DAYS} and {CHANNEL} and path_id = any(array(select path_id from ranked))",
        by="path",
    )
})
select path as "Page", pageviews as "Page views", coalesce(visitors, 0) as "Visitors",
       entries as "Entries", exits as "Exits", {_percent("exits", "pageviews")} as "Exit rate %"
from ranked left join seen using (path)
order by pageviews desc, path
"""
# Every visit has one entry page: a page's entries over all visits (same filters and range).
ENTRY_PAGES = f"""
with all_visits as (
    select sum(visits) as visits from traffic_daily where {SITE} and {DAYS} and {PEOPLE}
)
select path as "Page", sum(entries)::bigint as "Entries",
       {_percent("sum(entries)", "min(all_visits.visits)")} as "Share of visits %"
from pages_daily, all_visits
where {SITE} and {DAYS} and {PEOPLE} and {PAGE}
group by path
having sum(entries) > 0
order by 2 desc, 1
limit 20
"""
EXIT_PAGES = f"""
select path as "Page", sum(exits)::bigint as "Exits",
       {_percent("sum(exits)", "sum(pageviews)")} as "Exit rate %"
from pages_daily
where {SITE} and {DAYS} and {PEOPLE} and {PAGE}
group by path
having sum(exits) > 0
order by 2 desc, 1
limit 20
"""
# Per time bucket (a day or more): page views, and the visitors of the bucket (the union of
# its days' sets, exact at any bucket size).
OVER_TIME = f"""
with views as (
    select $__timeGroup(day, $__interval) as time, sum(pageviews)::bigint as pageviews,
           sum(entries)::bigint as entries, sum(exits)::bigint as exits
    from pages_daily
    where {SITE} and {DAYS} and {PEOPLE} and {PAGE}
    group by 1
),
seen as ({
    visitors(
        "page_visitors_daily",
        f"{SITE} and {DAYS} and {CHANNEL} and {PAGE}",
        by="$__timeGroup(day, $__interval)",
        name="time",
    )
})
select time, coalesce(pageviews, 0) as "Page views", coalesce(visitors, 0) as "Visitors",
       coalesce(entries, 0) as "Entries", coalesce(exits, 0) as "Exits"
from views full join seen using (time)
order by time
"""
# Paths answered 404, most requested first, with how many distinct referrers led there.
NOT_FOUND = f"""
select path as "Path", sum(requests)::bigint as "Requests",
       count(distinct referrer) filter (where referrer <> '') as "Referring pages"
from not_found_daily
where {SITE} and {DAYS} and {BOTS}
group by path
order by 2 desc, 1
limit 50
"""
# Links to missing pages: which page (domain and path) sent requests to which 404.
BROKEN_LINKS = f"""
select referrer as "Referrer", path as "Missing path", sum(requests)::bigint as "Requests"
from not_found_daily
where {SITE} and {DAYS} and {BOTS} and referrer <> ''
group by referrer, path
order by 3 desc, 1, 2
limit 50
"""
