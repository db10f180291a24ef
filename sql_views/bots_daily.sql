-- one row per site per UTC day per bot name
-- Requests of user agents taken for bots, by the bot's name ('' when its user agent names
-- none) and category (search engine, AI crawler, SEO tool, monitor, scanner, HTTP library or
-- other, from the kept list in ingester/enrich/bots.py). clients: the distinct clients (keyed
-- hashes of address and user agent) of the day, sorted; distinct clients over any days: count
-- the distinct values of unnest(clients).
create view bots_daily as

with

bot_counts as (
    select * from rollup_bots_daily
),

site_hosts as (
    select id as site_id, host as site from sites
),

final as (
    select
        site_hosts.site,
        bot_counts.day,
        bot_counts.bot_name,
        bot_counts.category,
        bot_counts.requests,
        bot_counts.bytes,
        cardinality(bot_counts.clients) as clients_of_day,
        bot_counts.clients
    from bot_counts
    join site_hosts using (site_id)
)

select * from final;
