"""CDN performance: how well CloudFront caches, where it serves from, and how fast."""

from grafana import house, variables
from grafana.panels import bars, geomap, link, pie, row, stat, table, timeseries
from grafana.queries import cdn_performance as q

RANGE = "over the UTC days the time range touches"
HOURLY = "per time bucket (an hour or more, as the range allows)"
EVERY = "every request (pages, assets, errors), bots only with the switch on"
NO_EDGE = "The edge location filter does not apply (the view has no edge)."
LATENCY_ONLY_SITE = (
    "Bots are always included and the edge location filter does not apply (latency_* keeps "
    "every request of a site); per edge, see Edge locations."
)
HIT_RATIO = "Hit and RefreshHit / (Hit, RefreshHit and Miss)"
HIT_THRESHOLDS = ["red", (0.5, "orange"), (0.8, "green")]
LATENCY_THRESHOLDS = ["green", (500, "orange"), (2000, "red")]


def _stat(title, sql, description, x, **options):
    return stat(title, sql, description=description, at=(x, 0, 3, 4), **options)


def _headline() -> list:
    return [
        _stat("Requests", q.REQUESTS, f"Requests {RANGE}: {EVERY}, at the chosen edges.", 0),
        _stat(
            "Cache hit ratio",
            q.HIT_RATIO,
            f"{HIT_RATIO} requests {RANGE}, at the chosen edges; errors, redirects and other "
            "result types are neither hits nor lookups.",
            3,
            unit="percentunit",
            decimals=1,
            thresholds=HIT_THRESHOLDS,
        ),
        _stat(
            "Byte hit ratio",
            q.BYTE_HIT_RATIO,
            f"Bytes sent (sc-bytes) of {HIT_RATIO} responses {RANGE}, at the chosen edges.",
            6,
            unit="percentunit",
            decimals=1,
            thresholds=HIT_THRESHOLDS,
        ),
        _stat(
            "Origin offload",
            q.ORIGIN_OFFLOAD,
            f"Bytes served from the cache (Hit and RefreshHit) / all bytes served {RANGE}, "
            "at the chosen edges.",
            9,
            unit="percentunit",
            decimals=1,
            thresholds=HIT_THRESHOLDS,
        ),
        _stat(
            "Bytes fetched on misses",
            q.MISS_BYTES,
            f"Bytes sent of Miss responses {RANGE} (cache_lookup_bytes - cache_hit_bytes): "
            "what the origin had to send through the edge, at the chosen edges.",
            12,
            unit="decbytes",
        ),
        _stat(
            "p95 time taken",
            q.TIME_TAKEN_P95,
            f"95th percentile of time-taken (ms) {RANGE}, from the merged daily histograms "
            f"of the chosen sites, within 1 %. {LATENCY_ONLY_SITE}",
            15,
            unit="ms",
            decimals=0,
            thresholds=LATENCY_THRESHOLDS,
        ),
        _stat(
            "p95 time to first byte",
            q.TTFB_P95,
            f"95th percentile of time-to-first-byte (ms) {RANGE}, from the merged daily "
            f"histograms of the chosen sites, within 1 %. {LATENCY_ONLY_SITE}",
            18,
            unit="ms",
            decimals=0,
            thresholds=LATENCY_THRESHOLDS,
        ),
        _stat(
            "Incomplete downloads",
            q.INCOMPLETE,
            f"Status 200 responses whose x-edge-result-type is Error (the viewer left "
            f"mid-download) {RANGE}, and their share of status 200. {NO_EDGE}",
            21,
        ),
    ]


def _cache(y: int) -> list:
    return [
        row("Cache", y),
        timeseries(
            "Cache hit ratio",
            q.HIT_RATIO_OVER_TIME,
            description=f"{HOURLY}, at the chosen edges: {HIT_RATIO} by requests, and by "
            "bytes sent. Buckets without lookups show 0.",
            at=(0, y + 1, 12, 8),
            unit="percentunit",
        ),
        timeseries(
            "Bytes served",
            q.BYTES_OVER_TIME,
            description=f"Bytes sent {HOURLY}, at the chosen edges, stacked: from the cache "
            "(Hit, RefreshHit), fetched on misses (Miss), and neither (errors, redirects, "
            "other result types). The first over the total is the origin offload.",
            at=(12, y + 1, 12, 8),
            unit="decbytes",
            stacked=True,
        ),
        timeseries(
            "Result types",
            q.RESULT_TYPES_OVER_TIME,
            description=f"Requests {HOURLY} per x-edge-result-type (Hit, RefreshHit, Miss, "
            f"Error, Redirect…), stacked; {EVERY}. {NO_EDGE}",
            at=(0, y + 9, 12, 8),
            stacked=True,
        ),
        table(
            "Result types",
            q.RESULT_TYPES,
            description=f"Requests per x-edge-result-type {RANGE}, their share of all "
            f"requests and the megabytes (10^6 bytes) sent; {EVERY}. {NO_EDGE}",
            at=(12, y + 9, 6, 8),
        ),
        timeseries(
            "Incomplete downloads",
            q.INCOMPLETE_OVER_TIME,
            description=f"Per time bucket: status 200 responses whose result type is Error "
            f"(the viewer left mid-download), and range requests (status 206). {NO_EDGE}",
            at=(18, y + 9, 6, 8),
            bars=True,
        ),
    ]


def _edges(y: int) -> list:
    edge = link(
        "Show this edge location", house.uid(__file__), "edge", "Edge", keep=("site", "bots")
    )
    return [
        row("Edge locations", y),
        geomap(
            "Edge locations",
            q.EDGE_MAP,
            description=f"Requests {RANGE} per CloudFront edge location (POP), placed at "
            f"its airport; {EVERY}. Edges without known coordinates are left out.",
            at=(0, y + 1, 12, 11),
            value="requests",
            by_country=False,
        ),
        table(
            "Busiest edge locations",
            q.EDGES,
            description=f"The {q.TOP_EDGES} edge locations with most requests {RANGE}: "
            f"cache hit ratio ({HIT_RATIO}), error rate (4xx, 5xx and 000 / requests) and "
            "p95 of time-taken from their merged histograms (within 1 %). Click an edge to "
            "filter the dashboard on it.",
            at=(12, y + 1, 12, 11),
            links=[edge],
        ),
    ]


def _latency(y: int) -> list:
    per_site = (
        "Each hour's own percentile (nearest rank, within 1 %), kept by the hourly view: "
        "percentiles never add up across sites, so with several sites each has its own "
        f"series. {LATENCY_ONLY_SITE}"
    )
    return [
        row("Latency", y),
        timeseries(
            "Time taken",
            q.TIME_TAKEN_OVER_TIME,
            description=f"p50, p95 and p99 of time-taken (ms, from the request's arrival "
            f"to the last byte sent) per hour. {per_site}",
            at=(0, y + 1, 12, 8),
            unit="ms",
        ),
        timeseries(
            "Time to first byte",
            q.TTFB_OVER_TIME,
            description=f"p50, p95 and p99 of time-to-first-byte (ms) per hour. {per_site}",
            at=(12, y + 1, 12, 8),
            unit="ms",
        ),
        table(
            "Slowest paths",
            q.SLOWEST_PATHS,
            description=f"Of the {q.BUSIEST_PATHS} paths with most requests {RANGE} (and at "
            f"least {q.MIN_PATH_REQUESTS}), the 10 with the highest p95 time-taken: p50, "
            "p95 and p99 (ms) from their merged daily histograms (within 1 %), and the cache "
            f"hit ratio; {EVERY}. {NO_EDGE}",
            at=(0, y + 9, 24, 9),
        ),
    ]


def _protocols(y: int) -> list:
    def share(title, sql, what, x):
        return pie(
            title,
            sql,
            description=f"Requests {RANGE} per {what}; {EVERY}. {NO_EDGE}",
            at=(x, y + 1, 6, 8),
        )

    return [
        row("Protocols and content", y),
        share("Protocol", q.PROTOCOLS, "viewer protocol (http, https, ws, wss)", 0),
        share("HTTP version", q.HTTP_VERSIONS, "HTTP version of the request", 6),
        share("TLS version", q.TLS_VERSIONS, "TLS version (none on plain HTTP)", 12),
        bars(
            "Content types",
            q.CONTENT_TYPES,
            description=f"Requests {RANGE} per Content-Type of the response, the 10 largest; "
            f"{EVERY}. {NO_EDGE}",
            at=(18, y + 1, 6, 8),
        ),
    ]


dashboard = house.dashboard(
    __file__,
    title="CDN performance",
    description="Cache efficiency, edge locations, latency and protocols of CloudFront, "
    "from its access logs.",
    variables=[variables.site(), variables.edge(), variables.bots()],
    panels=_headline() + _cache(4) + _edges(22) + _latency(34) + _protocols(52),
)
