"""Acquisition: where visits come from (channels, referrers, campaigns) and how they go."""

from grafana import house, variables
from grafana.panels import row, table, timeseries
from grafana.queries import acquisition as q

RANGE = "over the UTC days the time range touches"
SOURCE = "(of the visit's first page view)"
QUALITY = (
    "page views of those visits, bounce rate % = single-page visits / visits, and mean "
    "duration s = mean time from a visit's first to its last page view (0 for a bounce)"
)
VISITORS = (
    "Visitors are exact (unions of the value's visitor sets), for the chosen devices and "
    "countries but every channel: the channel filter does not narrow them (a source all but "
    "fixes the channel)."
)


def _source_table(title, sql, what, at, extra=""):
    return table(
        title,
        sql,
        description=f"Visits begun {RANGE} per {what} {SOURCE}{extra}: visits, unique "
        f"visitors, {QUALITY}. {VISITORS}",
        at=at,
    )


dashboard = house.dashboard(
    __file__,
    title="Acquisition",
    description="Where visits come from: channels, referring sites and pages, and UTM "
    "campaigns, with the bounce rate and duration of the visits each brought.",
    variables=[
        variables.site(),
        variables.device(),
        variables.country(),
        variables.channel(),
    ],
    panels=[
        timeseries(
            "Visits per channel",
            q.CHANNELS_OVER_TIME,
            description="Visits begun per UTC day (or more, as the range allows) "
            f"per acquisition channel {SOURCE}, stacked: the stack is all visits.",
            at=(0, 0, 24, 8),
            stacked=True,
            interval="1d",
        ),
        table(
            "Channels",
            q.CHANNELS,
            description=f"Visits begun {RANGE} per acquisition channel {SOURCE}: visits, "
            "unique visitors (exact, from the channel's visitor sets, for the chosen devices "
            f"and countries), {QUALITY}.",
            at=(0, 8, 24, 8),
        ),
        row("Referrers", 16),
        _source_table(
            "Referring sites",
            q.REFERRER_DOMAINS,
            "referring domain",
            (0, 17, 10, 12),
            extra=", the 30 with most visits; visits without a referrer are left out",
        ),
        _source_table(
            "Referring pages",
            q.REFERRERS,
            "referring page (domain and path, no query string)",
            (10, 17, 14, 12),
            extra=", the 50 with most visits; visits without a referrer are left out",
        ),
        row("Campaigns", 29),
        table(
            "UTM campaigns",
            q.CAMPAIGNS,
            description=f"Visits begun {RANGE} per combination of utm_source, utm_medium and "
            f"utm_campaign {SOURCE}, the 50 with most visits; untagged visits are left out. "
            f"With {QUALITY}.",
            at=(0, 30, 14, 12),
        ),
        table(
            "Visitors per UTM tag",
            q.TAG_VISITORS,
            description=f"Unique visitors {RANGE} whose visits came with each value of each "
            "UTM tag (utm_source, utm_medium, utm_campaign, utm_content, utm_term), the 50 "
            f"largest; per tag, not per combination (sets are kept per tag). {VISITORS}",
            at=(14, 30, 10, 12),
        ),
    ],
)
