-- one row per site per UTC day per bot name and path
-- Requests of user agents taken for bots, by the bot's name ('' when its user agent names
-- none) and the path they fetched.
create view bot_paths_daily as

with

bot_paths as (
    select * from rollup_bot_paths_daily
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
        bot_paths.day,
        bot_paths.bot_name,
        bot_paths.path_id,
        path_texts.path,
        bot_paths.requests,
        bot_paths.bytes
    from bot_paths
    join site_hosts using (site_id)
    join path_texts using (path_id)
)

select * from final;
