-- The day's bot requests by bot name ('' when the user agent names none), with the category of
-- the kept list (ingester/enrich/bots.py, passed in as %(bot_categories)s) and the distinct
-- clients (visitor ids: a keyed hash of address and user agent), sorted.
insert into rollup_bots_daily

with

bot_requests as (
    select
        requests.site_id,
        coalesce(agents.bot_name, '') as bot_name,
        requests.visitor_id,
        requests.bytes_sent
    from requests
    left join user_agents as agents on agents.id = requests.user_agent_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
      and requests.is_bot
),

categories as (
    select key as bot_name, value as category
    from jsonb_each_text(%(bot_categories)s::jsonb)
),

per_bot as (
    select
        site_id,
        bot_name,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes,
        array_agg(distinct visitor_id order by visitor_id) as clients
    from bot_requests
    group by 1, 2
),

final as (
    select
        per_bot.site_id,
        %(day)s::date as day,
        per_bot.bot_name,
        coalesce(categories.category, 'other') as category,
        per_bot.requests,
        per_bot.bytes,
        per_bot.clients
    from per_bot
    left join categories on categories.bot_name = lower(per_bot.bot_name)
)

select * from final
