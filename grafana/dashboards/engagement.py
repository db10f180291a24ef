"""Engagement: how long visits last, where people go next, funnels and who comes back."""

from grafana import house, variables
from grafana.panels import bars, link, node_graph, row, table
from grafana.queries import engagement as q

RANGE = "over the UTC days the time range touches"
VISITS = f"Visits begun {RANGE}"
# Journeys are counted per channel only (per device and country they outgrew the requests).
JOURNEY_FILTERS = "Channel applies; device and country do not (journeys are kept per channel)."
PAGES = house.uid("pages.py")


def _open(column: str) -> dict:
    return link(
        f"Open the {column.lower()} in Pages",
        PAGES,
        "page",
        column,
        keep=("site", "device", "country", "channel"),
    )


dashboard = house.dashboard(
    __file__,
    title="Engagement",
    description="How long visits last and how deep they go, the paths people take through "
    "your pages, your funnels and how many visitors come back week after week.",
    variables=[variables.site(), variables.device(), variables.country(), variables.channel()],
    panels=[
        row("Visit lengths", 0),
        bars(
            "Visit duration",
            q.DURATIONS,
            at=(0, 1, 12, 8),
            horizontal=False,
            description=f"{VISITS} per duration bucket: time from the visit's first to its "
            "last page view (0 s for a single page view), in buckets 0 s, 1-10 s, 10-30 s, "
            "30-60 s, 1-3 min, 3-10 min, 10-30 min and 30 min+, each from its lower bound up "
            "to the next. Device, country and channel (of the visit's first page view) apply.",
        ),
        bars(
            "Visit depth",
            q.DEPTHS,
            at=(12, 1, 12, 8),
            horizontal=False,
            description=f"{VISITS} per number of page views in the visit: 1, 2, 3, 4, 5-9 "
            "and 10+. Device, country and channel (of the visit's first page view) apply.",
        ),
        row("Journeys", 9),
        node_graph(
            "Journeys",
            q.JOURNEY_NODES,
            q.JOURNEY_EDGES,
            at=(0, 10, 24, 14),
            description=f"The {q.GRAPH_EDGES} busiest transitions (a page view followed by "
            f"the next one within a visit) in the visits begun {RANGE}, and the pages at their "
            "ends. An edge's main figure is its transitions, the second the visits that made "
            "it; a page's main figure is the transitions of the graph leaving it, the second "
            f"those arriving. {JOURNEY_FILTERS}",
        ),
        table(
            "Transitions",
            q.TRANSITIONS,
            at=(0, 24, 13, 11),
            links=[_open("From"), _open("To")],
            description=f"The 50 busiest transitions (a page view of From followed by the "
            f"next one, of To, within a visit) in the visits begun {RANGE}: how often, in how "
            "many visits, and by how many unique visitors. Transitions and visits: the chosen "
            "channels, every device and country. Visitors: the chosen devices and countries "
            "(exact), every channel (their sets are kept for every channel only). Click a "
            "page to open it in Pages.",
        ),
        table(
            "Three-page paths",
            q.PATH_TRIPLES,
            at=(13, 24, 11, 11),
            links=[_open("First page")],
            description=f"The 20 most frequent runs of three page views one right after the "
            f"other within a visit, in the visits begun {RANGE}: occurrences and the visits "
            f"holding them. {JOURNEY_FILTERS} Click a row to open its first page in Pages.",
        ),
        row("Funnels and retention", 35),
        table(
            "Funnels",
            q.FUNNELS,
            at=(0, 36, 24, 8),
            description="Per funnel (from EDGELOG_FUNNELS) and step: unique visitors who, "
            f"within one visit begun {RANGE}, viewed a page matching step 1, then later one "
            "matching step 2, and so on up to this step; conversion is those visitors over "
            "the previous step's (empty for step 1), and over step 1's. Channel, device and "
            "country apply (exact). A step no one reached is left out.",
        ),
        table(
            "Weekly cohorts",
            q.COHORTS,
            at=(0, 44, 24, 10),
            description="Visitors first seen in a week (Monday to Sunday, UTC), for the weeks "
            "that touch the time range: their number, then per later week the % of them with "
            "a page view in it (empty for a week yet to come), up to 12 weeks on, whatever the "
            "time range. Only the site filter applies: device, country and channel do not "
            "(cohorts are kept per site). Empty when visitor ids are salted anew every day.",
        ),
    ],
)
