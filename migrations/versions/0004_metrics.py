"""Metrics core: dirty days, visits, per-day rollups and one view per metric.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Loads mark the days they touched (`dirty_days`, in the load's own transaction);
`edgelog refresh` re-sessionizes the visitors of those days into `visits` and
recomputes the rollups of every day whose visits or requests changed. The
views read the rollups (sql_views/README.md says why they are plain views).
The views' SQL below is frozen from
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

-- Dense numbers for visitors, per site, so visitor sets are small bitmaps; and when each
-- visitor was first seen (kept right when an older file arrives late).
create table visitor_numbers (
    site_id    integer not null,
    visitor_id bigint not null,
    number     integer not null,
    first_seen timestamptz not null,
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
    location_id    integer not null,  -- 0: unknown
    user_agent_id  integer not null,  -- 0: unknown
    channel        text not null,
    device_type    text not null,
    country_code   text not null,     -- '': unknown
    paths          integer[] not null, -- the page views' paths, in order
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

create table rollup_requests_daily (
    site_id            integer not null,
    day                date not null,
    device_type        text not null,
    country_code       text not null,
    is_bot             boolean not null,
    requests           bigint not null,
    bytes              bigint not null,
    cache_hits         bigint not null,
    cache_lookups      bigint not null,
    cache_hit_bytes    bigint not null,
    cache_lookup_bytes bigint not null,
    primary key (site_id, day, device_type, country_code, is_bot)
);

create table rollup_traffic_hourly (
    site_id      integer not null,
    hour         timestamptz not null,
    device_type  text not null,
    country_code text not null,
    channel          text not null,
    pageviews    bigint not null,
    visits       bigint not null,
    bounces      bigint not null,
    duration_s   double precision not null,
    primary key (site_id, hour, device_type, country_code, channel)
);

create table rollup_traffic_daily (
    site_id      integer not null,
    day          date not null,
    device_type  text not null,
    country_code text not null,
    channel          text not null,
    pageviews    bigint not null,
    visits       bigint not null,
    bounces      bigint not null,
    duration_s   double precision not null,
    primary key (site_id, day, device_type, country_code, channel)
);

-- Rows whose device_type, country_code and channel are '*' hold the sums over every value:
-- what an unfiltered query reads.
-- Visitor sets are bitmaps of visitor numbers in chunks of 1024, per channel of the visit and
-- for all channels ('*'). A visitor's device and country never change (its id hashes
-- its address and user agent), so those filters intersect with the audience sets instead.
create table rollup_visitors_hourly (
    site_id    integer not null,
    hour       timestamptz not null,
    channel        text not null,
    chunk      integer not null,
    visitors   bit varying not null,
    primary key (site_id, hour, channel, chunk)
);

create table rollup_visitors_daily (
    site_id    integer not null,
    day        date not null,
    channel        text not null,
    chunk      integer not null,
    visitors   bit varying not null,
    primary key (site_id, day, channel, chunk)
);

create table rollup_pages_daily (
    site_id      integer not null,
    day          date not null,
    path_id      integer not null,
    device_type  text not null,
    country_code text not null,
    channel          text not null,
    pageviews    bigint not null,
    entries      bigint not null,
    exits        bigint not null,
    primary key (site_id, day, path_id, device_type, country_code, channel)
);

create table rollup_page_visitors_daily (
    site_id    integer not null,
    day        date not null,
    path_id    integer not null,
    channel        text not null,
    chunk      integer not null,
    visitors   bit varying not null,
    primary key (site_id, day, path_id, channel, chunk)
);

create table rollup_sources_daily (
    site_id      integer not null,
    day          date not null,
    device_type  text not null,
    country_code text not null,
    channel          text not null,
    referrer_id  integer not null,
    campaign_id  integer not null,
    visits       bigint not null,
    bounces      bigint not null,
    duration_s   double precision not null,
    pageviews    bigint not null,
    primary key (site_id, day, device_type, country_code, channel, referrer_id, campaign_id)
);

-- kind: channel, referrer_domain, referrer, utm_source, utm_medium, utm_campaign, utm_content,
-- utm_term
create table rollup_source_visitors_daily (
    site_id  integer not null,
    day      date not null,
    kind     text not null,
    value    text not null,
    chunk    integer not null,
    visitors bit varying not null,
    primary key (site_id, day, kind, value, chunk)
);

-- kind: country, region, city (value: the location id), device, browser, browser_version, os,
-- os_version
create table rollup_audience_visitors_daily (
    site_id  integer not null,
    day      date not null,
    kind     text not null,
    value    text not null,
    chunk    integer not null,
    visitors bit varying not null,
    primary key (site_id, day, kind, value, chunk)
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

-- Unfiltered reads take the '*' rows of a range of days without reading the others.
create index rollup_requests_hourly_all on rollup_requests_hourly (hour) where device_type = '*';
create index rollup_requests_daily_all on rollup_requests_daily (day) where device_type = '*';
create index rollup_traffic_hourly_all on rollup_traffic_hourly (hour) where device_type = '*';
create index rollup_traffic_daily_all on rollup_traffic_daily (day) where device_type = '*';
create index rollup_visitors_hourly_all on rollup_visitors_hourly (hour) where channel = '*';
create index rollup_visitors_daily_all on rollup_visitors_daily (day) where channel = '*';
create index rollup_pages_daily_all on rollup_pages_daily (day) where device_type = '*';
create index rollup_page_visitors_daily_all on rollup_page_visitors_daily (path_id, day)
    where channel = '*';
create index rollup_sources_daily_all on rollup_sources_daily (day) where device_type = '*';
create index rollup_source_visitors_daily_kind on rollup_source_visitors_daily (kind, day);
create index rollup_audience_visitors_daily_kind on rollup_audience_visitors_daily (kind, day);
"""
# Frozen copies of sql_views/<view>.sql.
VIEWS = {
    "audience_visitors_daily": """\
-- one row per site per UTC day per trait (kind and value) per chunk of visitor numbers
-- Who had a page view that day, by the visit's location and user agent: kind is country (ISO
-- code), region ('DE/Bavaria'), city (a location, with its name and coordinates), device,
-- browser, browser_version, os or os_version; '' where unknown. Bitmaps as in visitors_daily.
-- A visitor's traits never change (its id hashes its address and user agent), so intersecting
-- (&) with the device or country sets filters any other visitor set by device or country, and
-- intersecting with visitors_daily's channel sets filters these by channel.
create view audience_visitors_daily as

with

audience_visitors as (
    select * from rollup_audience_visitors_daily
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
        audience_visitors.day,
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
    "not_found_daily": """\
-- one row per site per UTC day per not-found path per referrer and bot flag
-- Requests answered 404, assets included, with the referrer that linked to the path ('' when
-- none was sent).
create view not_found_daily as

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
""",
    "page_visitors_daily": """\
-- one row per site per UTC day per page per channel of the visit per chunk of visitor numbers
-- Who viewed the page that day, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. A page's unique visitors over any days: bit_or per site and chunk, then sum
-- the bit_count. Channel '*' rows hold every channel. To filter by device or country,
-- intersect (&) with those sets of audience_visitors_daily.
create view page_visitors_daily as

with

page_visitors as (
    select * from rollup_page_visitors_daily
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
        page_visitors.day,
        page_visitors.path_id,
        path_texts.path,
        page_visitors.channel,
        page_visitors.chunk,
        page_visitors.visitors
    from page_visitors
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
""",
    "pages_daily": """\
-- one row per site per UTC day per page per device type, country and channel of the visit
-- Page views of the page that day, and the visits that began (entries) and ended (exits) on
-- it that day. Rows with device_type, country_code and channel '*' hold the sums over every
-- value. Its visitors are in page_visitors_daily.
create view pages_daily as

with

pages as (
    select * from rollup_pages_daily
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
        pages.day,
        pages.path_id,
        path_texts.path,
        pages.device_type,
        pages.country_code,
        pages.channel,
        pages.pageviews,
        pages.entries,
        pages.exits
    from pages
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
""",
    "requests_daily": """\
-- one row per site per UTC day per device type, country and bot flag
-- Every request, bots and assets included, as in requests_hourly. Rows with device_type and
-- country_code '*' hold the sums over every device and country.
create view requests_daily as

with

request_counts as (
    select * from rollup_requests_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        request_counts.day,
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
""",
    "requests_hourly": """\
-- one row per site per hour per device type, country and bot flag
-- Every request, bots and assets included. A cache lookup is a request whose x-edge-result-type
-- is Hit, RefreshHit or Miss; a cache hit is one that is Hit or RefreshHit. Rows with
-- device_type and country_code '*' hold the sums over every device and country.
create view requests_hourly as

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
""",
    "source_visitors_daily": """\
-- one row per site per UTC day per source (kind and value) per chunk of visitor numbers
-- The visitors of the visits begun that day, by where those came from: kind is channel,
-- referrer_domain, referrer (domain and path), utm_source, utm_medium, utm_campaign,
-- utm_content or utm_term. Bitmaps as in visitors_daily. A source all but fixes the channel,
-- so these are kept for every channel at once.
create view source_visitors_daily as

with

source_visitors as (
    select * from rollup_source_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        source_visitors.day,
        source_visitors.kind,
        source_visitors.value,
        source_visitors.chunk,
        source_visitors.visitors
    from source_visitors
    join site_hosts using (site_id)
)

select * from final;
""",
    "sources_daily": """\
-- one row per site per UTC day per device, country, channel, referrer and campaign of the visit
-- Visits that began that day, by where they came from (their first page view's referrer,
-- channel and utm_* tags). Rows with device_type and country_code '*' hold the sums over every
-- device and country. Their visitors are in source_visitors_daily.
create view sources_daily as

with

sources as (
    select * from rollup_sources_daily
),

site_hosts as (
    select id as site_id, host as site from sites
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
        sources.channel,
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
        sources.pageviews
    from sources
    join site_hosts using (site_id)
    left join referrer_urls using (referrer_id)
    left join utm_tags using (campaign_id)
)

select * from final;
""",
    "traffic_daily": """\
-- one row per site per UTC day per device type, country and channel of the visit
-- Page views count on the day they happened; visits, bounces and durations on the day of their
-- first page view. Rows with device_type, country_code and channel '*' hold the sums over every
-- value. Bots never count. Definitions: sql_views/README.md.
create view traffic_daily as

with

traffic as (
    select * from rollup_traffic_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        traffic.day,
        traffic.device_type,
        traffic.country_code,
        traffic.channel,
        traffic.pageviews,
        traffic.visits,
        traffic.bounces,
        traffic.duration_s
    from traffic
    join site_hosts using (site_id)
)

select * from final;
""",
    "traffic_hourly": """\
-- one row per site per hour per device type, country and channel of the visit
-- Page views count in the hour they happened; visits, bounces and durations in the hour of
-- their first page view. Rows with device_type, country_code and channel '*' hold the sums over
-- every value. Bots never count. Definitions: sql_views/README.md.
create view traffic_hourly as

with

traffic as (
    select * from rollup_traffic_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        traffic.hour,
        traffic.device_type,
        traffic.country_code,
        traffic.channel,
        traffic.pageviews,
        traffic.visits,
        traffic.bounces,
        traffic.duration_s
    from traffic
    join site_hosts using (site_id)
)

select * from final;
""",
    "visitors_daily": """\
-- one row per site per UTC day per channel of the visit per chunk of visitor numbers
-- Who had a page view that day, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of days: bit_or per site and chunk, then
-- sum the bit_count. Channel '*' rows hold every channel. To filter by device or country,
-- intersect (&) with those sets of audience_visitors_daily. Bots never count.
create view visitors_daily as

with

visitor_sets as (
    select * from rollup_visitors_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        visitor_sets.day,
        visitor_sets.channel,
        visitor_sets.chunk,
        visitor_sets.visitors
    from visitor_sets
    join site_hosts using (site_id)
)

select * from final;
""",
    "visitors_hourly": """\
-- one row per site per hour per channel of the visit per chunk of visitor numbers
-- Who had a page view in that hour, as a bitmap: bit b of chunk c is the visitor numbered
-- c * 1024 + b. Exact unique visitors over any set of hours: bit_or per site and chunk, then
-- sum the bit_count. Channel '*' rows hold every channel. To filter by device or country,
-- intersect (&) with those sets of audience_visitors_daily. Bots never count.
create view visitors_hourly as

with

visitor_sets as (
    select * from rollup_visitors_hourly
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        visitor_sets.hour,
        visitor_sets.channel,
        visitor_sets.chunk,
        visitor_sets.visitors
    from visitor_sets
    join site_hosts using (site_id)
)

select * from final;
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


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"drop view {view}")
    op.execute(
        "drop table rollup_requests_hourly, rollup_requests_daily, rollup_traffic_hourly, "
        "rollup_traffic_daily, rollup_visitors_hourly, rollup_visitors_daily, "
        "rollup_pages_daily, rollup_page_visitors_daily, rollup_sources_daily, "
        "rollup_source_visitors_daily, rollup_audience_visitors_daily, rollup_not_found_daily"
    )
    op.execute("drop table refresh_log, visits, visitor_numbers, dirty_days")
    op.execute("drop sequence dirty_days_generation")
