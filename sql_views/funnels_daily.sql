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
