-- The day's bot requests by bot name ('' when the user agent names none) and path.
insert into rollup_bot_paths_daily

with

bot_requests as (
    select
        requests.site_id,
        coalesce(agents.bot_name, '') as bot_name,
        requests.path_id,
        requests.bytes_sent
    from requests
    left join user_agents as agents on agents.id = requests.user_agent_id
    where requests.ts >= %(day_start)s and requests.ts < %(day_end)s
      and requests.is_bot
),

final as (
    select
        site_id,
        %(day)s::date as day,
        bot_name,
        path_id,
        count(*) as requests,
        coalesce(sum(bytes_sent), 0) as bytes
    from bot_requests
    group by 1, 2, 3, 4
)

select * from final
