"""Bots: which crawlers, monitors and scripts hit your sites, how much, and what they fetch."""

from grafana import house, variables
from grafana.panels import pie, stat, table, timeseries
from grafana.queries import bots as q

RANGE = "over the UTC days the time range touches"
# Bots have no device, country or channel of their own here: the site is the only filter.
BOTS = "requests whose user agent is taken for a bot or crawler"


def _figure(title, sql, description, x, unit="short", decimals=None, thresholds=None):
    return stat(
        title,
        sql,
        description=description,
        at=(x, 0, 6, 4),
        unit=unit,
        decimals=decimals,
        thresholds=thresholds,
    )


dashboard = house.dashboard(
    __file__,
    title="Bots",
    description="Search engines, AI crawlers, SEO tools, monitors, scanners and HTTP libraries "
    "in your CloudFront logs: their share of requests, who they are and what they fetch. Only "
    "the site filter applies: every figure here is about bots.",
    variables=[variables.site()],
    panels=[
        _figure(
            "Bot share of requests",
            q.BOT_SHARE,
            f"Requests from bots / all requests {RANGE} (pages, assets and errors alike).",
            0,
            unit="percentunit",
            decimals=1,
            thresholds=["green", (0.3, "orange"), (0.6, "red")],
        ),
        _figure("Bot requests", q.REQUESTS, f"Every one of the {BOTS}, {RANGE}.", 6),
        _figure(
            "Bot bytes",
            q.BYTES,
            f"Bytes sent to viewers (sc-bytes) in answer to {BOTS}, {RANGE}.",
            12,
            unit="decbytes",
        ),
        _figure(
            "Distinct bot clients",
            q.CLIENTS,
            f"Distinct clients (keyed hashes of address and user agent) among the {BOTS}, "
            f"{RANGE}; a client counts once however many days it came.",
            18,
        ),
        timeseries(
            "Bot share over time",
            q.SHARE_OVER_TIME,
            at=(0, 4, 16, 8),
            unit="percentunit",
            interval="1h",
            description="Per time bucket (an hour or more, as the range allows): requests "
            "from bots / all requests begun in it.",
        ),
        pie(
            "Bot categories",
            q.CATEGORIES,
            at=(16, 4, 8, 8),
            description=f"Bot requests {RANGE} per category of the bot's name: search engine, "
            "AI crawler, SEO tool, monitor, scanner, HTTP library, or other (a name not in "
            "the list, or none).",
        ),
        table(
            "Top bots",
            q.TOP_BOTS,
            at=(0, 12, 13, 10),
            description=f"The 25 bots with most requests {RANGE}: their category, requests, "
            "megabytes sent (10^6 bytes) and distinct clients (keyed hashes of address and "
            "user agent, each counted once over the range). (unnamed) is bots whose user "
            "agent names none.",
        ),
        timeseries(
            "Bot bytes by category",
            q.BYTES_OVER_TIME,
            at=(13, 12, 11, 10),
            unit="decbytes",
            stacked=True,
            bars=True,
            interval="1d",
            description="Bytes sent to viewers in answer to bot requests, per UTC day (or "
            "longer bucket) and bot category.",
        ),
        table(
            "Bot paths",
            q.BOT_PATHS,
            at=(0, 22, 24, 10),
            description=f"The 25 bot and path pairs with most requests {RANGE}, with "
            "megabytes sent (10^6 bytes). (unnamed) is bots whose user agent names none.",
        ),
    ],
)
