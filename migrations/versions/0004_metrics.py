"""Metrics core: dirty days, visits, per-day rollups and one materialized view per metric.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Loads mark the days they touched (`dirty_days`, in the load's own transaction);
`edgelog refresh` re-sessionizes the visitors of those days into `visits`,
recomputes the rollups of every day whose visits or requests changed, and
refreshes the views concurrently. The views' SQL below is frozen from
`sql_views/<view>.sql` as it stood for this revision (tests/test_views_sql.py
checks that the newest migration matches the files). See sql_views/README.md.
"""

from alembic import op

from ingester.roles import grant_read

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STATE = """
-- A day whose requests changed since the last refresh. The generation changes at every mark,
-- so a refresh clears only the marks it has seen.
create sequence dirty_days_generation;
create table dirty_days (
    day        date primary key,
    generation bigint not null default nextval('dirty_days_generation')
);

-- Dense numbers for visitors, per site, so visitor sets are small bitmaps and arrays.
create table visitor_numbers (
    site_id    integer not null,
    visitor_id bigint not null,
    number     integer not null,
    primary key (site_id, visitor_id),
    unique (site_id, number)
);

-- One row per visit: a visitor's page views, each at most 30 minutes after the one before.
create table visits (
    site_id        integer not null,
    visitor_number integer not null,
    started_at     timestamptz not null,
    ended_at       timestamptz not null,
    pageviews      integer not null,
    entry_path_id  integer not null,
    exit_path_id   integer not null,
    referrer_id    integer not null,  -- 0: none
    campaign_id    integer not null,  -- 0: none
    channel_id     smallint not null,
    location_id    integer not null,  -- 0: unknown
    user_agent_id  integer not null,  -- 0: unknown
    device_type    text not null,
    country_code   text not null,     -- '': unknown
    primary key (site_id, visitor_number, started_at)
);
create index visits_span on visits using gist (tstzrange(started_at, ended_at, '[]'));

create table refresh_log (
    id          bigint generated always as identity primary key,
    started_at  timestamptz not null,
    finished_at timestamptz not null,
    full_rebuild boolean not null,
    days        date[] not null,   -- days whose rollups were recomputed
    views       text[] not null,   -- views refreshed
    rows        bigint not null,   -- rollup rows written
    duration_ms integer not null
);

-- When each view was last refreshed, and whether rollups changed since.
create table view_state (
    view_name    text primary key,
    refreshed_at timestamptz,
    stale        boolean not null default true
);
"""

ROLLUPS = """
create table rollup_requests_hourly (
    site_id            integer not null,
    hour               timestamptz not null,
    device_type        text not null,
    country_code       text not null,
    is_bot             boolean not null,
    requests           bigint not null,
    bytes              bigint not null,
    cache_hits         bigint not null,
    cache_lookups      bigint not null,
    cache_hit_bytes    bigint not null,
    cache_lookup_bytes bigint not null,
    primary key (site_id, hour, device_type, country_code, is_bot)
);

create table rollup_traffic_hourly (
    site_id      integer not null,
    hour         timestamptz not null,
    device_type  text not null,
    country_code text not null,
    channel_id   smallint not null,
    pageviews    bigint not null,
    visits       bigint not null,
    bounces      bigint not null,
    duration_s   double precision not null,
    primary key (site_id, hour, device_type, country_code, channel_id)
);

create table rollup_visitors_hourly (
    site_id      integer not null,
    hour         timestamptz not null,
    device_type  text not null,
    country_code text not null,
    channel_id   smallint not null,
    chunk        integer not null,
    visitors     bit varying not null,
    primary key (site_id, hour, device_type, country_code, channel_id, chunk)
);

create table rollup_pages_daily (
    site_id      integer not null,
    day          date not null,
    path_id      integer not null,
    device_type  text not null,
    country_code text not null,
    channel_id   smallint not null,
    pageviews    bigint not null,
    entries      bigint not null,
    exits        bigint not null,
    visitors     integer[] not null,
    primary key (site_id, day, path_id, device_type, country_code, channel_id)
);

create table rollup_sources_daily (
    site_id      integer not null,
    day          date not null,
    device_type  text not null,
    country_code text not null,
    channel_id   smallint not null,
    referrer_id  integer not null,
    campaign_id  integer not null,
    visits       bigint not null,
    bounces      bigint not null,
    duration_s   double precision not null,
    pageviews    bigint not null,
    visitors     integer[] not null,
    primary key (site_id, day, device_type, country_code, channel_id, referrer_id, campaign_id)
);

create table rollup_audience_daily (
    site_id         integer not null,
    day             date not null,
    channel_id      smallint not null,
    location_id     integer not null,
    device_type     text not null,
    browser         text not null,
    browser_version text not null,
    os              text not null,
    os_version      text not null,
    pageviews       bigint not null,
    visitors        integer[] not null,
    primary key (site_id, day, channel_id, location_id, device_type, browser, browser_version,
                 os, os_version)
);

create table rollup_not_found_daily (
    site_id     integer not null,
    day         date not null,
    path_id     integer not null,
    referrer_id integer not null,
    is_bot      boolean not null,
    requests    bigint not null,
    primary key (site_id, day, path_id, referrer_id, is_bot)
);
"""

# Frozen copies of sql_views/<view>.sql.
VIEWS = {
    "audience_daily": """\
-- one row per site per UTC day per channel of the visit, location, device type, browser and OS with versions
-- Page views and the numbers of the visitors who made them (count distinct over any days),
-- by the visit's location (from the MaxMind database) and user agent. '' where unknown.
create materialized view audience_daily as

with

audience as (
    select * from rollup_audience_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

places as (
    select
        id as location_id,
        coalesce(country_code, '') as country_code,
        coalesce(country, '') as country,
        coalesce(region, '') as region,
        coalesce(city, '') as city,
        latitude,
        longitude
    from locations
),

final as (
    select
        site_hosts.site,
        audience.day,
        channel_names.channel,
        audience.location_id,
        coalesce(places.country_code, '') as country_code,
        coalesce(places.country, '') as country,
        coalesce(places.region, '') as region,
        coalesce(places.city, '') as city,
        places.latitude,
        places.longitude,
        audience.device_type,
        audience.browser,
        audience.browser_version,
        audience.os,
        audience.os_version,
        audience.pageviews,
        audience.visitors
    from audience
    join site_hosts using (site_id)
    join channel_names using (channel_id)
    left join places using (location_id)
)

select * from final;

create unique index audience_daily_key
    on audience_daily (
        site, day, channel, location_id, device_type, browser, browser_version, os, os_version
    );
""",
    "not_found_daily": """\
-- one row per site per UTC day per not-found path per referrer and bot flag
-- Requests answered 404, assets included, with the referrer that linked to the path ('' when
-- none was sent).
create materialized view not_found_daily as

with

not_found as (
    select * from rollup_not_found_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

path_texts as (
    select id as path_id, path from paths
),

referrer_urls as (
    select id as referrer_id, domain as referrer_domain, domain || path as referrer
    from referrers
),

final as (
    select
        site_hosts.site,
        not_found.day,
        not_found.path_id,
        path_texts.path,
        not_found.referrer_id,
        coalesce(referrer_urls.referrer_domain, '') as referrer_domain,
        coalesce(referrer_urls.referrer, '') as referrer,
        not_found.is_bot,
        not_found.requests
    from not_found
    join site_hosts using (site_id)
    join path_texts using (path_id)
    left join referrer_urls using (referrer_id)
)

select * from final;

create unique index not_found_daily_key
    on not_found_daily (site, day, path_id, referrer_id, is_bot);
""",
    "pages_daily": """\
-- one row per site per UTC day per page per device type, country and channel of the visit
-- Page views of the page that day, the visits that began (entries) and ended (exits) on it
-- that day, and the numbers of the visitors who viewed it (count distinct over any days).
create materialized view pages_daily as

with

pages as (
    select * from rollup_pages_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

path_texts as (
    select id as path_id, path from paths
),

final as (
    select
        site_hosts.site,
        pages.day,
        pages.path_id,
        path_texts.path,
        pages.device_type,
        pages.country_code,
        channel_names.channel,
        pages.pageviews,
        pages.entries,
        pages.exits,
        pages.visitors
    from pages
    join site_hosts using (site_id)
    join channel_names using (channel_id)
    join path_texts using (path_id)
)

select * from final;

create unique index pages_daily_key
    on pages_daily (site, day, path_id, device_type, country_code, channel);
""",
    "requests_daily": """\
-- one row per site per UTC day per device type, country and bot flag
-- The daily sums of requests_hourly's rollup: every request, bots and assets included.
create materialized view requests_daily as

with

request_counts as (
    select * from rollup_requests_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

by_day as (
    select
        site_id,
        (hour at time zone 'utc')::date as day,
        device_type,
        country_code,
        is_bot,
        sum(requests)::bigint as requests,
        sum(bytes)::bigint as bytes,
        sum(cache_hits)::bigint as cache_hits,
        sum(cache_lookups)::bigint as cache_lookups,
        sum(cache_hit_bytes)::bigint as cache_hit_bytes,
        sum(cache_lookup_bytes)::bigint as cache_lookup_bytes
    from request_counts
    group by 1, 2, 3, 4, 5
),

final as (
    select
        site_hosts.site,
        by_day.day,
        by_day.device_type,
        by_day.country_code,
        by_day.is_bot,
        by_day.requests,
        by_day.bytes,
        by_day.cache_hits,
        by_day.cache_lookups,
        by_day.cache_hit_bytes,
        by_day.cache_lookup_bytes
    from by_day
    join site_hosts using (site_id)
)

select * from final;

create unique index requests_daily_key
    on requests_daily (site, day, device_type, country_code, is_bot);
""",
    "requests_hourly": """\
-- one row per site per hour per device type, country and bot flag
-- Every request, bots and assets included. A cache lookup is a request whose x-edge-result-type
-- is Hit, RefreshHit or Miss; a cache hit is one that is Hit or RefreshHit.
create materialized view requests_hourly as

with

request_counts as (
    select * from rollup_requests_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        request_counts.hour,
        request_counts.device_type,
        request_counts.country_code,
        request_counts.is_bot,
        request_counts.requests,
        request_counts.bytes,
        request_counts.cache_hits,
        request_counts.cache_lookups,
        request_counts.cache_hit_bytes,
        request_counts.cache_lookup_bytes
    from request_counts
    join site_hosts using (site_id)
)

select * from final;

create unique index requests_hourly_key
    on requests_hourly (site, hour, device_type, country_code, is_bot);
""",
    "sources_daily": """\
-- one row per site per UTC day per device type, country, channel, referrer and campaign of the visit
-- Visits that began that day, by where they came from (their first page view's referrer,
-- channel and utm_* tags), with the numbers of their visitors (count distinct over any days).
create materialized view sources_daily as

with

sources as (
    select * from rollup_sources_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

referrer_urls as (
    select id as referrer_id, domain as referrer_domain, domain || path as referrer
    from referrers
),

utm_tags as (
    select
        id as campaign_id,
        source as utm_source,
        medium as utm_medium,
        campaign as utm_campaign,
        content as utm_content,
        term as utm_term
    from campaigns
),

final as (
    select
        site_hosts.site,
        sources.day,
        sources.device_type,
        sources.country_code,
        channel_names.channel,
        sources.referrer_id,
        coalesce(referrer_urls.referrer_domain, '') as referrer_domain,
        coalesce(referrer_urls.referrer, '') as referrer,
        sources.campaign_id,
        coalesce(utm_tags.utm_source, '') as utm_source,
        coalesce(utm_tags.utm_medium, '') as utm_medium,
        coalesce(utm_tags.utm_campaign, '') as utm_campaign,
        coalesce(utm_tags.utm_content, '') as utm_content,
        coalesce(utm_tags.utm_term, '') as utm_term,
        sources.visits,
        sources.bounces,
        sources.duration_s,
        sources.pageviews,
        sources.visitors
    from sources
    join site_hosts using (site_id)
    join channel_names using (channel_id)
    left join referrer_urls using (referrer_id)
    left join utm_tags using (campaign_id)
)

select * from final;

create unique index sources_daily_key
    on sources_daily (site, day, device_type, country_code, channel, referrer_id, campaign_id);
""",
    "traffic_daily": """\
-- one row per site per UTC day per device type, country and channel of the visit
-- The daily sums of traffic_hourly's rollup. Bots never count. Definitions: sql_views/README.md.
create materialized view traffic_daily as

with

traffic as (
    select * from rollup_traffic_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

by_day as (
    select
        site_id,
        (hour at time zone 'utc')::date as day,
        device_type,
        country_code,
        channel_id,
        sum(pageviews)::bigint as pageviews,
        sum(visits)::bigint as visits,
        sum(bounces)::bigint as bounces,
        sum(duration_s) as duration_s
    from traffic
    group by 1, 2, 3, 4, 5
),

final as (
    select
        site_hosts.site,
        by_day.day,
        by_day.device_type,
        by_day.country_code,
        channel_names.channel,
        by_day.pageviews,
        by_day.visits,
        by_day.bounces,
        by_day.duration_s
    from by_day
    join site_hosts using (site_id)
    join channel_names using (channel_id)
)

select * from final;

create unique index traffic_daily_key
    on traffic_daily (site, day, device_type, country_code, channel);
""",
    "traffic_hourly": """\
-- one row per site per hour per device type, country and channel of the visit
-- Page views count in the hour they happened; visits, bounces and durations in the hour of
-- their first page view. Bots never count. Definitions: sql_views/README.md.
create materialized view traffic_hourly as

with

traffic as (
    select * from rollup_traffic_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

final as (
    select
        site_hosts.site,
        traffic.hour,
        traffic.device_type,
        traffic.country_code,
        channel_names.channel,
        traffic.pageviews,
        traffic.visits,
        traffic.bounces,
        traffic.duration_s
    from traffic
    join site_hosts using (site_id)
    join channel_names using (channel_id)
)

select * from final;

create unique index traffic_hourly_key
    on traffic_hourly (site, hour, device_type, country_code, channel);
""",
    "visitors_daily": """\
-- one row per site per UTC day per device type, country and channel of the visit per chunk of visitor numbers
-- Who had a page view that day, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of days: bit_or per site and chunk, then
-- sum the bit_count. Bots never count.
create materialized view visitors_daily as

with

visitor_sets as (
    select * from rollup_visitors_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

by_day as (
    select
        site_id,
        (hour at time zone 'utc')::date as day,
        device_type,
        country_code,
        channel_id,
        chunk,
        bit_or(visitors) as visitors
    from visitor_sets
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        site_hosts.site,
        by_day.day,
        by_day.device_type,
        by_day.country_code,
        channel_names.channel,
        by_day.chunk,
        by_day.visitors
    from by_day
    join site_hosts using (site_id)
    join channel_names using (channel_id)
)

select * from final;

create unique index visitors_daily_key
    on visitors_daily (site, day, device_type, country_code, channel, chunk);
""",
    "visitors_hourly": """\
-- one row per site per hour per device type, country and channel of the visit per chunk of visitor numbers
-- Who had a page view in that hour, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of hours: bit_or per site and chunk, then
-- sum the bit_count. Bots never count.
create materialized view visitors_hourly as

with

visitor_sets as (
    select * from rollup_visitors_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

channel_names as (
    select id as channel_id, name as channel from channels
),

final as (
    select
        site_hosts.site,
        visitor_sets.hour,
        visitor_sets.device_type,
        visitor_sets.country_code,
        channel_names.channel,
        visitor_sets.chunk,
        visitor_sets.visitors
    from visitor_sets
    join site_hosts using (site_id)
    join channel_names using (channel_id)
)

select * from final;

create unique index visitors_hourly_key
    on visitors_hourly (site, hour, device_type, country_code, channel, chunk);
""",
}


def upgrade() -> None:
    op.execute(STATE)
    op.execute(ROLLUPS)
    # Days loaded before this revision: the first refresh builds their rollups.
    op.execute(
        "insert into dirty_days (day) "
        "select distinct d from ingest_ledger, unnest(days) d where status = 'loaded'"
    )
    for view, sql in VIEWS.items():
        op.execute(sql)
        op.execute(grant_read(view))
        op.execute(f"insert into view_state (view_name) values ('{view}')")


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"drop materialized view {view}")
    op.execute(
        "drop table rollup_requests_hourly, rollup_traffic_hourly, rollup_visitors_hourly, "
        "rollup_pages_daily, rollup_sources_daily, rollup_audience_daily, rollup_not_found_daily"
    )
    op.execute("drop table view_state, refresh_log, visits, visitor_numbers, dirty_days")
    op.execute("drop sequence dirty_days_generation")
