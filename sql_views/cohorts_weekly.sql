-- one row per site per cohort week per week since (0 to 12)
-- A cohort is the visitors first seen in a week (Monday, UTC); visitors is how many of them had
-- a page view in week cohort_week + weeks_since (week 0: the whole cohort). Exact. Empty when
-- EDGELOG_SALT_ROTATION=daily: a visitor is then a new one every day, so no one comes back.
create view cohorts_weekly as

with

presence as (
    select * from rollup_cohort_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

weekly as (
    select
        site_id,
        cohort_week,
        date_trunc('week', day)::date as week,
        chunk,
        bit_or(visitors) as visitors
    from presence
    group by 1, 2, 3, 4
),

counted as (
    select
        site_id,
        cohort_week,
        (week - cohort_week) / 7 as weeks_since,
        sum(bit_count(visitors))::bigint as visitors
    from weekly
    where week - cohort_week between 0 and 84
    group by 1, 2, 3
),

final as (
    select
        site_hosts.site,
        counted.cohort_week,
        counted.weeks_since,
        counted.visitors
    from counted
    join site_hosts using (site_id)
)

select * from final;

comment on view cohorts_weekly is
    'Empty when EDGELOG_SALT_ROTATION=daily: visitors cannot be followed across days.';
