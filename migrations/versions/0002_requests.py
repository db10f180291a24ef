"""Requests: the fact table, partitioned by day, and its dimension tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

One row per request, stored once. Repeated strings live in dimension tables and
the fact row holds their ids, which keeps a row under 150 bytes with its index.
sc-content-len is checked but not stored: next to sc-bytes and the result types
it tells the dashboards nothing, and it would cost 8 bytes a row. No index on
ts: queries select whole days, which the partitions already do.
Day partitions are created on demand by the loader (ingester/load/partitions.py),
each with a unique index on request_key: duplicates always share their
timestamp, so they always meet in the same partition.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DIMENSIONS = """
create table sites (
    id   integer generated always as identity primary key,
    host text not null unique
);

create table paths (
    id   integer generated always as identity primary key,
    path text not null
);
-- md5 keeps the key small and lets paths exceed the btree entry limit
create unique index paths_key on paths ((md5(path)::uuid));

create table query_strings (
    id    integer generated always as identity primary key,
    query text not null
);
create unique index query_strings_key on query_strings ((md5(query)::uuid));

create table referrers (
    id     integer generated always as identity primary key,
    domain text not null,
    path   text not null
);
create unique index referrers_key on referrers (domain, (md5(path)::uuid));

create table user_agents (
    id              integer generated always as identity primary key,
    user_agent      text not null,
    browser         text,
    browser_version text,
    os              text,
    os_version      text,
    device_type     text not null,
    is_bot          boolean not null,
    bot_name        text
);
create unique index user_agents_key on user_agents ((md5(user_agent)::uuid));

create table locations (
    id           integer generated always as identity primary key,
    country_code text,
    country      text,
    region       text,
    city         text,
    latitude     double precision,
    longitude    double precision
);

create table edge_locations (
    id           smallint generated always as identity primary key,
    code         text not null unique,
    airport      text,
    city         text,
    country_code text,
    latitude     double precision,
    longitude    double precision
);

create table campaigns (
    id       integer generated always as identity primary key,
    source   text,
    medium   text,
    campaign text,
    content  text,
    term     text
);

-- How a request was answered: low-cardinality attributes combined, so a fact
-- row holds one id for all of them (a "junk dimension").
create table responses (
    id                   integer generated always as identity primary key,
    method               text,
    protocol             text,
    http_version         text,
    tls_protocol         text,
    tls_cipher           text,
    result_type          text,
    response_result_type text,
    detailed_result_type text,
    content_type         text,
    status               smallint not null, -- 0 when the viewer hung up (000)
    edge_location        text not null references edge_locations (code)
);

create table channels (
    id   smallint primary key,
    name text not null unique
);
insert into channels values
    (1, 'Direct'), (2, 'Organic Search'), (3, 'Paid Search'), (4, 'Social'),
    (5, 'Email'), (6, 'Referral'), (7, 'Internal');
"""

# Columns ordered widest first so no byte goes to alignment padding.
REQUESTS = """
create table requests (
    ts               timestamptz not null,
    request_key      bigint not null,   -- 64-bit hash of x-edge-request-id (or of the line)
    visitor_id       bigint not null,   -- keyed hash of site, client IP and user agent
    bytes_sent       bigint,            -- sc-bytes
    range_start      bigint,
    range_end        bigint,
    site_id          integer not null,
    path_id          integer not null,
    query_id         integer,           -- query string minus click ids
    referrer_id      integer,
    user_agent_id    integer,
    location_id      integer,
    campaign_id      integer,
    response_id      integer not null,  -- status, edge location, result types, content type…
    time_taken_ms    integer,
    ttfb_ms          integer,
    bytes_received   integer,           -- cs-bytes
    channel_id       smallint not null,
    is_pageview      boolean not null,
    is_bot           boolean not null
) partition by range (ts);

create table secrets (
    name  text primary key,
    value bytea not null
);

alter table ingest_ledger add column days date[] not null default '{}';
"""


def key_hash(*columns: str) -> str:
    """md5 over several nullable columns: one indexable, NULL-safe key.

    The loader matches rows through the same expression (ingester/load/dimensions.py).
    """
    parts = " || chr(31) || ".join(f"coalesce({c}::text, chr(30))" for c in columns)
    return f"(md5({parts})::uuid)"


KEYS = {
    "locations": ("country_code", "region", "city"),
    "campaigns": ("source", "medium", "campaign", "content", "term"),
    "responses": (
        "method", "protocol", "http_version", "tls_protocol", "tls_cipher", "result_type",
        "response_result_type", "detailed_result_type", "content_type", "status",
        "edge_location",
    ),
}  # fmt: skip


def upgrade() -> None:
    op.execute(DIMENSIONS)
    for table, columns in KEYS.items():
        op.execute(f"create unique index {table}_key on {table} ({key_hash(*columns)})")
    op.execute(REQUESTS)


def downgrade() -> None:
    op.execute("alter table ingest_ledger drop column days")
    op.execute("drop table requests, secrets")
    op.execute(
        "drop table channels, responses, campaigns, edge_locations, locations, "
        "user_agents, referrers, query_strings, paths, sites"
    )
