"""The shape of the `requests` table and its dimensions, as the loader sees them."""

from __future__ import annotations

from ingester.enrich.edge import describe_edge_location
from ingester.enrich.useragent import describe_user_agent
from ingester.load.dimensions import Dimension, hashed, resolve_all, same

USER_AGENT_COLUMNS = (
    "browser", "browser_version", "os", "os_version", "device_type", "is_bot", "bot_name",
)  # fmt: skip
RESPONSE_COLUMNS = (
    "method", "protocol", "http_version", "tls_protocol", "tls_cipher", "result_type",
    "response_result_type", "detailed_result_type", "content_type", "status", "edge_location",
)  # fmt: skip
CAMPAIGN_COLUMNS = ("source", "medium", "campaign", "content", "term")
LOCATION_COLUMNS = ("country_code", "region", "city", "country", "latitude", "longitude")
EDGE_COLUMNS = ("airport", "city", "country_code", "latitude", "longitude")


def _user_agent(key: tuple) -> tuple:
    return tuple(describe_user_agent(key[0]))[:7]


def _edge(key: tuple) -> tuple:
    edge = describe_edge_location(key[0])
    return (edge.airport, edge.city, edge.country_code, edge.latitude, edge.longitude)


class Dimensions:
    """Every dimension of `requests`, with its cache, for one ingest run."""

    def __init__(self) -> None:
        text = "text"
        self.sites = Dimension("sites", ("host",), (text,), same("host"))
        self.paths = Dimension("paths", ("path",), (text,), hashed("path"))
        self.queries = Dimension("query_strings", ("query",), (text,), hashed("query"))
        self.referrers = Dimension(
            "referrers",
            ("domain", "path"),
            (text, text),
            "{t}.domain = k.domain and " + hashed("path"),
        )
        # The hot loop needs is_bot with the id: the cached value is (id, is_bot).
        self.user_agents = Dimension(
            "user_agents",
            ("user_agent",),
            (text, text, text, text, text, text, "boolean", text),
            hashed("user_agent"),
            describe=_user_agent,
            extra_columns=USER_AGENT_COLUMNS,
            value=lambda id_, extra: (str(id_), "t" if extra[5] else "f"),
        )
        # Matched on (country_code, region, city); country and coordinates ride along.
        self.locations = Dimension(
            "locations",
            LOCATION_COLUMNS,
            (text, text, text, text, "float8", "float8"),
            same("country_code", "region", "city"),
        )
        self.edges = Dimension(
            "edge_locations",
            ("code",),
            (text, text, text, text, "float8", "float8"),
            "{t}.code = k.code",
            describe=_edge,
            extra_columns=EDGE_COLUMNS,
        )
        self.campaigns = Dimension(
            "campaigns", CAMPAIGN_COLUMNS, (text,) * 5, same(*CAMPAIGN_COLUMNS)
        )
        self.responses = Dimension(
            "responses",
            RESPONSE_COLUMNS,
            (*(text,) * 9, "smallint", text),
            same(*RESPONSE_COLUMNS),
        )

    def all(self) -> list[Dimension]:
        return [v for v in vars(self).values() if isinstance(v, Dimension)]

    def resolve(self, conn) -> None:
        resolve_all(conn, self.all())

    def forget_resolved(self) -> None:
        for dimension in self.all():
            dimension.resolved = {}

    @property
    def pending(self) -> bool:
        return any(d.pending for d in self.all())
