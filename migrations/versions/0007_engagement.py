"""Engagement: visit lengths, journeys, cohorts and funnels, on the metrics engine.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Visits keep their pages in order (0004), so journeys and funnels are read from
them; cohorts from the day's page views and when each visitor was first seen.
Funnels come from EDGELOG_FUNNELS: the refresh keeps `funnel_steps` equal to the
file and rebuilds the funnel rollup whenever the file changes.
"""

from alembic import op

from ingester.roles import grant_read

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = """
-- Rows whose filter columns are '*' hold the sums over every value. Journeys are kept per
-- channel only: per device and country too, they outgrew the requests they came from.
create table rollup_visit_lengths_daily (
    site_id         integer not null,
    day             date not null,
    device_type     text not null,
    country_code    text not null,
    channel         text not null,
    duration_bucket smallint not null,
    depth_bucket    smallint not null,
    visits          bigint not null,
    primary key (site_id, day, device_type, country_code, channel, duration_bucket,
                 depth_bucket)
);

create table rollup_transitions_daily (
    site_id      integer not null,
    day          date not null,
    channel      text not null,
    from_path_id integer not null,
    to_path_id   integer not null,
    transitions  bigint not null,
    visits       bigint not null,
    primary key (site_id, day, channel, from_path_id, to_path_id)
);

create table rollup_transition_visitors_daily (
    site_id      integer not null,
    day          date not null,
    from_path_id integer not null,
    to_path_id   integer not null,
    chunk        integer not null,
    visitors     bit varying not null,
    primary key (site_id, day, from_path_id, to_path_id, chunk)
);

create table rollup_path_triples_daily (
    site_id        integer not null,
    day            date not null,
    channel        text not null,
    first_path_id  integer not null,
    second_path_id integer not null,
    third_path_id  integer not null,
    occurrences    bigint not null,
    visits         bigint not null,
    primary key (site_id, day, channel, first_path_id, second_path_id, third_path_id)
);

create table rollup_cohort_visitors_daily (
    site_id     integer not null,
    day         date not null,
    cohort_week date not null,
    chunk       integer not null,
    visitors    bit varying not null,
    primary key (site_id, day, cohort_week, chunk)
);

-- The funnels of EDGELOG_FUNNELS, as the last refresh read them: a step's pattern is a LIKE
-- pattern made from the file's glob ('*' for any characters).
create table funnel_steps (
    funnel  text not null,
    step    smallint not null,
    pattern text not null,
    primary key (funnel, step)
);

create table rollup_funnel_visitors_daily (
    site_id  integer not null,
    day      date not null,
    funnel   text not null,
    step     smallint not null,
    channel  text not null,
    chunk    integer not null,
    visitors bit varying not null,
    primary key (site_id, day, funnel, step, channel, chunk)
);

create index rollup_visit_lengths_daily_all on rollup_visit_lengths_daily (day)
    where device_type = '*';
create index rollup_transitions_daily_all on rollup_transitions_daily (day)
    where channel = '*';
create index rollup_path_triples_daily_all on rollup_path_triples_daily (day)
    where channel = '*';

-- How many steps of a funnel a visit reached in order: each page view may pass the next step.
create function funnel_steps_reached(paths text[], patterns text[]) returns integer
language plpgsql immutable strict as $$
declare
    reached integer := 0;
    path text;
begin
    foreach path in array paths loop
        exit when reached = coalesce(cardinality(patterns), 0);
        if path like patterns[reached + 1] then
            reached := reached + 1;
        end if;
    end loop;
    return reached;
end
$$;
"""

# Frozen copies of sql_views/<view>.sql.
VIEWS = {
    "visit_durations_daily": """\
-- one row per site per UTC day per device, country and channel of the visit per duration bucket
-- The visits begun that day by how long they lasted (last page view - first): 0 s, under
-- 10 s, 10-30 s, 30-60 s, 1-3 min, 3-10 min, 10-30 min, 30 min or more. Rows with
-- device_type, country_code and channel '*' hold the sums over every value.
create view visit_durations_daily as

with

lengths as (
    select * from rollup_visit_lengths_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

by_duration as (
    select
        site_id,
        day,
        device_type,
        country_code,
        channel,
        duration_bucket,
        sum(visits)::bigint as visits
    from lengths
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        site_hosts.site,
        by_duration.day,
        by_duration.device_type,
        by_duration.country_code,
        by_duration.channel,
        by_duration.duration_bucket,
        (array[
            '0 s', '1-10 s', '10-30 s', '30-60 s', '1-3 min', '3-10 min', '10-30 min', '30 min+'
        ])[by_duration.duration_bucket + 1] as duration,
        by_duration.visits
    from by_duration
    join site_hosts using (site_id)
)

select * from final;
""",
    "visit_depths_daily": """\
-- one row per site per UTC day per device, country and channel of the visit per depth bucket
-- The visits begun that day by how many pages they viewed: 1, 2, 3, 4, 5-9, 10 or more. Rows
-- with device_type, country_code and channel '*' hold the sums over every value.
create view visit_depths_daily as

with

lengths as (
    select * from rollup_visit_lengths_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

by_depth as (
    select
        site_id,
        day,
        device_type,
        country_code,
        channel,
        depth_bucket,
        sum(visits)::bigint as visits
    from lengths
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        site_hosts.site,
        by_depth.day,
        by_depth.device_type,
        by_depth.country_code,
        by_depth.channel,
        by_depth.depth_bucket,
        (array['1', '2', '3', '4', '5-9', '10+'])[by_depth.depth_bucket] as pages,
        by_depth.visits
    from by_depth
    join site_hosts using (site_id)
)

select * from final;
""",
    "transitions_daily": """\
-- one row per site per UTC day per channel of the visit per page → next page
-- Within the visits begun that day: how often a page view of from_path was followed by one
-- of to_path, and in how many visits. For Grafana's Node graph: edges are transitions, nodes
-- are pages. Channel '*' rows hold the sums over every channel.
create view transitions_daily as

with

transitions as (
    select * from rollup_transitions_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        transitions.day,
        transitions.channel,
        transitions.from_path_id,
        from_paths.path as from_path,
        transitions.to_path_id,
        to_paths.path as to_path,
        transitions.transitions,
        transitions.visits
    from transitions
    join site_hosts using (site_id)
    join path_texts as from_paths on from_paths.path_id = transitions.from_path_id
    join path_texts as to_paths on to_paths.path_id = transitions.to_path_id
)

select * from final;
""",
    "transition_visitors_daily": """\
-- one row per site per UTC day per page → next page per chunk of visitor numbers
-- Who made the transition within a visit begun that day, as a bitmap (bit b of chunk c is the
-- visitor numbered c * 1024 + b): union per site and chunk, then bit_count. Every channel.
create view transition_visitors_daily as

with

transition_visitors as (
    select * from rollup_transition_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        transition_visitors.day,
        transition_visitors.from_path_id,
        from_paths.path as from_path,
        transition_visitors.to_path_id,
        to_paths.path as to_path,
        transition_visitors.chunk,
        transition_visitors.visitors
    from transition_visitors
    join site_hosts using (site_id)
    join path_texts as from_paths on from_paths.path_id = transition_visitors.from_path_id
    join path_texts as to_paths on to_paths.path_id = transition_visitors.to_path_id
)

select * from final;
""",
    "path_triples_daily": """\
-- one row per site per UTC day per channel of the visit per three-page path
-- Three pages viewed one right after the other within the visits begun that day: how often,
-- and in how many visits (two-page paths are transitions_daily). Channel '*' rows hold the
-- sums over every channel.
create view path_triples_daily as

with

triples as (
    select * from rollup_path_triples_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        triples.day,
        triples.channel,
        triples.first_path_id,
        first_paths.path as first_path,
        triples.second_path_id,
        second_paths.path as second_path,
        triples.third_path_id,
        third_paths.path as third_path,
        triples.occurrences,
        triples.visits
    from triples
    join site_hosts using (site_id)
    join path_texts as first_paths on first_paths.path_id = triples.first_path_id
    join path_texts as second_paths on second_paths.path_id = triples.second_path_id
    join path_texts as third_paths on third_paths.path_id = triples.third_path_id
)

select * from final;
""",
    "cohorts_weekly": """\
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
""",
    "funnels_daily": """\
-- one row per site per UTC day per funnel per step per channel per chunk of visitor numbers
-- Who reached the step, having passed every step before it in order, within one visit begun
-- that day (funnels come from EDGELOG_FUNNELS). Union per site and chunk over any days, then
-- bit_count; conversion is a step's visitors over the previous step's, or over step 1's.
-- Channel '*' rows hold every channel.
create view funnels_daily as

with

funnel_visitors as (
    select * from rollup_funnel_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        funnel_visitors.day,
        funnel_visitors.funnel,
        funnel_visitors.step,
        funnel_steps.pattern,
        funnel_visitors.channel,
        funnel_visitors.chunk,
        funnel_visitors.visitors
    from funnel_visitors
    join site_hosts using (site_id)
    join funnel_steps using (funnel, step)
)

select * from final;
""",
}


def upgrade() -> None:
    op.execute(TABLES)
    # Days loaded before this revision: the next refresh builds their rollups.
    op.execute(
        "insert into dirty_days (day) "
        "select distinct d from ingest_ledger, unnest(days) d where status = 'loaded' "
        "on conflict (day) do nothing"
    )
    for view, sql in VIEWS.items():
        op.execute(sql)
        op.execute(grant_read(view))


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"drop view {view}")
    op.execute(
        "drop table rollup_visit_lengths_daily, rollup_transitions_daily, "
        "rollup_transition_visitors_daily, rollup_path_triples_daily, "
        "rollup_cohort_visitors_daily, rollup_funnel_visitors_daily, funnel_steps"
    )
    op.execute("drop function funnel_steps_reached")
