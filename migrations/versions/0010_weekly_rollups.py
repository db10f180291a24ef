"""Weekly rollups of journeys and audience sets, for dashboards over long ranges.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

A month of three-page paths is some 300,000 daily rows at 10M requests; the same month is
four weeks (and the days around them) of weekly rows, summed (or for visitor sets, unioned)
from the daily ones by every refresh that recomputes one of their days. Existing weeks are
filled from the daily rollups here. Indexes find the visitor sets of given transitions and
sources, and the three-page path views name paths through left joins that a query of ids
alone skips.
"""

from alembic import op

from ingester.roles import grant_read

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = """
create table rollup_transitions_weekly (
    site_id      integer not null,
    week         date not null,
    channel      text not null,
    from_path_id integer not null,
    to_path_id   integer not null,
    transitions  bigint not null,
    visits       bigint not null,
    primary key (site_id, week, channel, from_path_id, to_path_id)
);

create table rollup_path_triples_weekly (
    site_id        integer not null,
    week           date not null,
    channel        text not null,
    first_path_id  integer not null,
    second_path_id integer not null,
    third_path_id  integer not null,
    occurrences    bigint not null,
    visits         bigint not null,
    primary key (site_id, week, channel, first_path_id, second_path_id, third_path_id)
);

create table rollup_audience_visitors_weekly (
    site_id  integer not null,
    week     date not null,
    kind     text not null,
    value    text not null,
    chunk    integer not null,
    visitors bit varying not null,
    primary key (site_id, week, kind, value, chunk)
);

create index rollup_transitions_weekly_all on rollup_transitions_weekly (week)
    where channel = '*';
create index rollup_path_triples_weekly_all on rollup_path_triples_weekly (week)
    where channel = '*';
create index rollup_audience_visitors_weekly_kind on rollup_audience_visitors_weekly (kind, week);

-- The visitor sets of a few transitions or sources (the busiest of a range) without reading
-- them all.
create index rollup_transition_visitors_daily_pair
    on rollup_transition_visitors_daily (from_path_id, to_path_id, day);
create index rollup_source_visitors_daily_value
    on rollup_source_visitors_daily (kind, value, day);
"""

# The weeks of the days already rolled up (Monday to Sunday, as date_trunc('week') gives).
BACKFILL = """
insert into rollup_transitions_weekly
select site_id, date_trunc('week', day)::date, channel, from_path_id, to_path_id,
       sum(transitions), sum(visits)
from rollup_transitions_daily
group by 1, 2, 3, 4, 5;

insert into rollup_path_triples_weekly
select site_id, date_trunc('week', day)::date, channel, first_path_id, second_path_id,
       third_path_id, sum(occurrences), sum(visits)
from rollup_path_triples_daily
group by 1, 2, 3, 4, 5, 6;

insert into rollup_audience_visitors_weekly
select site_id, date_trunc('week', day)::date, kind, value, chunk, bit_or(visitors)
from rollup_audience_visitors_daily
group by 1, 2, 3, 4, 5;
"""

# Frozen copies of sql_views/<view>.sql.
VIEWS = {
    "transitions_weekly": """\
-- one row per site per week (Monday to Sunday, UTC) per channel per page → next page
-- transitions_daily summed over each whole week: a dashboard reads a month from about four
-- weeks and the days before and after them, the same figures from far fewer rows.
create view transitions_weekly as

with

transitions as (
    select * from rollup_transitions_weekly
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
        transitions.week,
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
    "path_triples_weekly": """\
-- one row per site per week (Monday to Sunday, UTC) per channel per three-page path
-- path_triples_daily summed over each whole week: a dashboard reads a month from about
-- four weeks and the days before and after them, the same figures from far fewer rows.
create view path_triples_weekly as

with

triples as (
    select * from rollup_path_triples_weekly
),

site_hosts as (
    select id as site_id, host as site from sites
),

-- Not materialized, and left joins below: a query that reads only the path ids (to rank
-- the paths first and name only the top ones) reads no path names at all.
path_texts as not materialized (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        triples.week,
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
    left join site_hosts using (site_id)
    left join path_texts as first_paths on first_paths.path_id = triples.first_path_id
    left join path_texts as second_paths on second_paths.path_id = triples.second_path_id
    left join path_texts as third_paths on third_paths.path_id = triples.third_path_id
)

select * from final;
""",
    "audience_visitors_weekly": """\
-- one row per site per week (Monday to Sunday, UTC) per trait per chunk of visitor numbers
-- audience_visitors_daily's sets unioned over each whole week (bit_or): who had a page view
-- that week, by trait. A month is about four weeks and the days around them: the union of
-- those sets is the month's, from far fewer rows.
create view audience_visitors_weekly as

with

audience_visitors as (
    select * from rollup_audience_visitors_weekly
),

site_hosts as (
    select id as site_id, host as site from sites
),

cities as (
    select
        id::text as value,
        coalesce(city, '') as city,
        coalesce(region, '') as region,
        coalesce(country_code, '') as city_country_code,
        latitude,
        longitude
    from locations
),

final as (
    select
        site_hosts.site,
        audience_visitors.week,
        audience_visitors.kind,
        audience_visitors.value,
        coalesce(cities.city, '') as city,
        coalesce(cities.region, '') as region,
        coalesce(cities.city_country_code, '') as city_country_code,
        cities.latitude,
        cities.longitude,
        audience_visitors.chunk,
        audience_visitors.visitors
    from audience_visitors
    join site_hosts using (site_id)
    left join cities on audience_visitors.kind = 'city' and cities.value = audience_visitors.value
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

-- Not materialized, and left joins below: a query that reads only the path ids (to rank
-- the paths first and name only the top ones) reads no path names at all.
path_texts as not materialized (
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
    left join site_hosts using (site_id)
    left join path_texts as first_paths on first_paths.path_id = triples.first_path_id
    left join path_texts as second_paths on second_paths.path_id = triples.second_path_id
    left join path_texts as third_paths on third_paths.path_id = triples.third_path_id
)

select * from final;
""",
}

# path_triples_daily as 0007 froze it, for the downgrade.
PREVIOUS = """\
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
"""


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(BACKFILL)
    for view, sql in VIEWS.items():
        op.execute(sql.replace("create view", "create or replace view", 1))
        op.execute(grant_read(view))


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"drop view {view}")
    op.execute(PREVIOUS)
    op.execute(grant_read("path_triples_daily"))
    op.execute(
        "drop index rollup_transition_visitors_daily_pair, rollup_source_visitors_daily_value"
    )
    op.execute(
        "drop table rollup_transitions_weekly, rollup_path_triples_weekly,"
        " rollup_audience_visitors_weekly"
    )
