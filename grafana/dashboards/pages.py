"""Pages: what people read, where visits begin and end, and the links that lead nowhere."""

from grafana import house, variables
from grafana.panels import link, row, stat, table, timeseries
from grafana.queries import pages as q

RANGE = "over the UTC days the time range touches"
CHOSEN = "of the page typed in the Page box (every page when it is empty)"
NO_BOTS = "Bots are never page views: the bots switch does not apply."
# Clicking a page narrows this very dashboard to it.
THIS_PAGE = link(
    "Show only this page",
    house.uid(__file__),
    "page",
    "Page",
    keep=("site", "device", "country", "channel", "bots"),
)
NOT_PEOPLE = (
    "Device, country, channel and page filters do not apply (a 404 is not a page view, and "
    "these counts keep no viewer attributes); bots count only with the bots switch on."
)


def _figure(title, sql, description, x, unit="short", decimals=None, thresholds=None):
    return stat(
        title,
        sql,
        description=f"{description} {NO_BOTS}",
        at=(x, 0, 6, 4),
        unit=unit,
        decimals=decimals,
        thresholds=thresholds,
    )


dashboard = house.dashboard(
    __file__,
    title="Pages",
    description="Page views, visitors, entries and exits per page, one page over time, and the "
    "requests answered 404 with the pages that link to them.",
    variables=[
        variables.site(),
        variables.device(),
        variables.country(),
        variables.channel(),
        variables.textbox(
            "page",
            "Page",
            "A page's path, such as /pricing (exactly as logged, without the query string); "
            "empty for every page",
        ),
        variables.bots(),
    ],
    panels=[
        _figure("Page views", q.PAGEVIEWS, f"Page views {CHOSEN} {RANGE}.", 0),
        _figure(
            "Visitors",
            q.VISITORS,
            f"Unique visitors who viewed the page(s) {CHOSEN} {RANGE}: the union of the "
            "pages' visitor sets, so a visitor counts once however many days and pages.",
            6,
        ),
        _figure(
            "Entries",
            q.ENTRIES,
            f"Visits begun {RANGE} whose first page view was a page {CHOSEN}.",
            12,
        ),
        _figure(
            "Exit rate",
            q.EXIT_RATE,
            f"Exits (visits whose last page view was the page) / page views, {CHOSEN} {RANGE}.",
            18,
            unit="percentunit",
            decimals=1,
            thresholds=["green", (0.5, "orange"), (0.8, "red")],
        ),
        timeseries(
            "Page views over time",
            q.OVER_TIME,
            description=f"Per time bucket (a day or more), {CHOSEN}: page views; unique "
            "visitors who viewed it in the bucket (exact, a union of daily visitor sets); "
            f"entries and exits (visits that began or ended on it, on the visit's day). {NO_BOTS}",
            at=(0, 4, 24, 8),
            interval="1d",
        ),
        table(
            "Top pages",
            q.TOP_PAGES,
            description=f"The 50 pages with most page views {RANGE}: unique visitors who viewed "
            "the page (exact), entries and exits (visits that began and ended there), and exit "
            f"rate % = exits / page views. {NO_BOTS} Click a page to show only it.",
            at=(0, 12, 24, 10),
            links=[THIS_PAGE],
        ),
        table(
            "Entry pages",
            q.ENTRY_PAGES,
            description=f"The 20 pages most visits began on {RANGE}: entries, and their share "
            f"% of all visits begun then with the same device, country and channel. {NO_BOTS}",
            at=(0, 22, 12, 9),
            links=[THIS_PAGE],
        ),
        table(
            "Exit pages",
            q.EXIT_PAGES,
            description=f"The 20 pages most visits ended on {RANGE}: exits, and exit rate % = "
            f"exits / page views of the page. {NO_BOTS}",
            at=(12, 22, 12, 9),
            links=[THIS_PAGE],
        ),
        row("Not found", 31),
        table(
            "Missing pages (404)",
            q.NOT_FOUND,
            description=f"The 50 paths with most requests answered 404 {RANGE}, every "
            f"request counted (assets too), and how many distinct referring pages sent them. "
            f"{NOT_PEOPLE}",
            at=(0, 32, 12, 10),
        ),
        table(
            "Broken links (404 by referrer)",
            q.BROKEN_LINKS,
            description=f"Requests answered 404 {RANGE} per referring page (domain and path of "
            f"the Referer header) and missing path; requests without a referrer are left out. "
            f"{NOT_PEOPLE}",
            at=(12, 32, 12, 10),
        ),
    ],
)
