"""SQL of the Engagement dashboard (grafana/dashboards/engagement.py)."""

from grafana.queries.common import CHANNEL, DAYS, PEOPLE, SITE, days_and_weeks, ratio, visitors

# The Node graph shows this many transitions, the busiest: more make an unreadable tangle.
GRAPH_EDGES = 30
# Weeks after its first that cohorts_weekly follows a cohort.
COHORT_WEEKS = 12


def _percent(part: str, whole: str) -> str:
    """part / whole in % with one decimal, for a table whose other numbers are counts."""
    return f"round(100 * {ratio(part, whole)}::numeric, 1)"


def _lengths(view: str, bucket: str, label: str, title: str) -> str:
    """Visits per bucket of a visit-length view, the buckets in their order."""
    return f"""
    select {label} as "{title}", sum(visits)::bigint as "Visits"
    from {view}
    where {SITE} and {DAYS} and {PEOPLE}
    group by {bucket}, {label}
    order by {bucket}
    """


DURATIONS = _lengths("visit_durations_daily", "duration_bucket", "duration", "Duration")
DEPTHS = _lengths("visit_depths_daily", "depth_bucket", "pages", "Pages viewed")


TRANSITIONS_COLUMNS = "from_path_id, to_path_id, from_path, to_path, transitions, visits"


def _busiest(limit: int) -> str:
    """The `limit` busiest transitions of the range (page ids and paths), as a CTE body."""
    rows = days_and_weeks("transitions", TRANSITIONS_COLUMNS, f"{SITE} and {CHANNEL}")
    return f"""
    select from_path_id, to_path_id, from_path, to_path,
           sum(transitions)::bigint as transitions, sum(visits)::bigint as visits
    from {rows} as transitions
    group by from_path_id, to_path_id, from_path, to_path
    order by transitions desc, from_path, to_path
    limit {limit}
    """


# Edges and nodes of the graph come from the same busiest transitions, so every edge's ends
# are nodes. A node's figures are those of the graph's edges into and out of it.
JOURNEY_EDGES = f"""
with busiest as ({_busiest(GRAPH_EDGES)})
select from_path || ' → ' || to_path as id, from_path as source, to_path as target,
       transitions as mainstat, visits as secondarystat
from busiest
order by transitions desc, id
"""
JOURNEY_NODES = f"""
with busiest as ({_busiest(GRAPH_EDGES)}),
ends as (
    select from_path as page, transitions as leaving, 0 as arriving from busiest
    union all
    select to_path, 0, transitions from busiest
)
select page as id, page as title, sum(leaving)::bigint as mainstat,
       sum(arriving)::bigint as secondarystat
from ends
group by page
order by page
"""

# Visitors of a transition are kept for every channel only (transition_visitors_daily). The
# arrays of the busiest pages reach the scan under the view (and its index on the pages): the
# pairs then match among those rows only.
TRANSITIONS = f"""
with busiest as ({_busiest(50)}),
people as ({
    visitors(
        "transition_visitors_daily",
        f"{SITE} and {DAYS} and from_path_id = any(array(select from_path_id from busiest))"
        " and to_path_id = any(array(select to_path_id from busiest))"
        " and (from_path_id, to_path_id) in (select from_path_id, to_path_id from busiest)",
        by="from_path_id, to_path_id",
    )
})
select from_path as "From", to_path as "To", transitions as "Transitions",
       visits as "Visits", coalesce(people.visitors, 0) as "Visitors"
from busiest left join people using (from_path_id, to_path_id)
order by transitions desc, from_path, to_path
"""
TRIPLE_IDS = "first_path_id, second_path_id, third_path_id"
# Only the 20 busiest three-page paths are named: the ranking reads ids alone (the views name
# paths through joins a query of ids skips), then the names of those 20 are looked up.
_RANKED = days_and_weeks(
    "path_triples", f"{TRIPLE_IDS}, occurrences, visits", f"{SITE} and {CHANNEL}"
)
_NAMED = days_and_weeks(
    "path_triples",
    f"{TRIPLE_IDS}, first_path, second_path, third_path",
    f"{SITE} and {CHANNEL}"
    " and first_path_id = any(array(select first_path_id from ranked))"
    " and second_path_id = any(array(select second_path_id from ranked))"
    " and third_path_id = any(array(select third_path_id from ranked))",
)
PATH_TRIPLES = f"""
with ranked as (
    select {TRIPLE_IDS}, sum(occurrences)::bigint as occurrences, sum(visits)::bigint as visits
    from {_RANKED} as triples
    group by {TRIPLE_IDS}
    order by occurrences desc, {TRIPLE_IDS}
    limit 20
),
named as (
    select distinct {TRIPLE_IDS}, first_path, second_path, third_path
    from {_NAMED} as triples
)
select named.first_path as "First page", named.second_path as "Second page",
       named.third_path as "Third page", ranked.occurrences as "Occurrences",
       ranked.visits as "Visits"
from ranked join named using ({TRIPLE_IDS})
order by 4 desc, 1, 2, 3
"""

# A step's visitors also reached every step before it, so a step with none is always after
# the last one shown: comparing with step - 1 and step 1 by number is exact.
FUNNELS = f"""
with reached as ({
    visitors("funnels_daily", f"{SITE} and {DAYS} and {CHANNEL}", by="funnel, step, pattern")
})
select this.funnel as "Funnel", this.step as "Step", this.pattern as "Pages (LIKE pattern)",
       this.visitors as "Visitors",
       case when this.step > 1 then {_percent("this.visitors", "previous.visitors")} end
           as "% of previous step",
       {_percent("this.visitors", "first.visitors")} as "% of step 1"
from reached as this
left join reached as previous on previous.funnel = this.funnel and previous.step = this.step - 1
left join reached as first on first.funnel = this.funnel and first.step = 1
order by 1, 2
"""


def _week(k: int) -> str:
    """The share of the cohort seen again in week k; empty for a week yet to come (no one
    seen is 0 % only once the week has data)."""
    seen = f"coalesce(sum(visitors) filter (where weeks_since = {k}), 0)"
    share = _percent(seen, "sum(visitors) filter (where weeks_since = 0)")
    return f'case when cohort_week + {7 * k} <= latest.week then {share} end as "Week {k} %"'


# Cohorts whose first week touches the range, followed as far as the data goes.
COHORTS = f"""
with latest as (
    select max(cohort_week + 7 * weeks_since) as week from cohorts_weekly where {SITE}
)
select cohort_week as "Cohort (week of)",
       coalesce(sum(visitors) filter (where weeks_since = 0), 0)::bigint as "Visitors",
       {", ".join(_week(k) for k in range(1, COHORT_WEEKS + 1))}
from cohorts_weekly, latest
where {SITE} and cohort_week > $__timeFrom()::date - 7 and cohort_week <= $__timeTo()::date
group by cohort_week, latest.week
order by cohort_week
"""
