"""Alert rules, provisioned from grafana/provisioning/alerting/ (written by build.py).

Four rules in one group: 5xx rate, cache hit ratio, ingest lag and failed objects. Each reads
one view as the read-only role and returns one row with one number, which Grafana reduces and
compares with a threshold taken from the settings (EDGELOG_ALERT_*). The SQL measures its own
window from now(), so a rule means the same whatever time range Grafana passes, and it holds no
`$` (Grafana's provisioning would read one as an environment variable).
"""

from __future__ import annotations

import yaml

from ingester.settings import Settings

DATASOURCE_UID = "edgelog"
EXPRESSIONS_UID = "__expr__"
FOLDER = "edgelog"
GROUP = "edgelog"
INTERVAL = "5m"
PENDING = "10m"

# Below this many requests (or cache lookups) in its window a rate is noise (one 503 out of
# three requests at night): the rule reads it as healthy instead.
MIN_REQUESTS = 100

ERROR_RATE_5XX = f"""
select case when coalesce(sum(requests), 0) < {MIN_REQUESTS} then 0
            else coalesce(sum(requests) filter (where status_class = '5xx'), 0)::float
                 / sum(requests) end as error_rate_5xx
from results_hourly
where hour >= date_trunc('hour', now()) - interval '1 hour'
"""
HIT_RATIO = f"""
select case when coalesce(sum(cache_lookups), 0) < {MIN_REQUESTS} then 1
            else sum(cache_hits)::float / sum(cache_lookups) end as hit_ratio
from requests_hourly
where device_type = '*' and country_code = '*'
  and hour >= date_trunc('hour', now()) - interval '3 hours'
"""
INGEST_LAG = """
select coalesce(ingest_lag_s, 0) as ingest_lag_s from ingest_lag
"""
FAILED_OBJECTS = """
select count(*)::float as failed_objects from ingest_failures
"""


def _defaults() -> Settings:
    """The declared defaults, whatever the environment says: the committed file."""
    return Settings.from_env({})


def rules(settings: Settings | None = None) -> list[dict]:
    s = settings or _defaults()
    return [
        _rule(
            "edgelog-5xx-rate",
            "5xx rate",
            ERROR_RATE_5XX,
            window_s=2 * 3600,
            above=s.alert_5xx_rate,
            summary=f"More than {s.alert_5xx_rate:.1%} of requests answered 5xx",
            description=(
                "Requests answered 5xx / all requests (every site, bots included) over the "
                "current hour so far and the hour before, from results_hourly, above "
                f"EDGELOG_ALERT_5XX_RATE ({s.alert_5xx_rate}). Fewer than {MIN_REQUESTS} "
                "requests in that window count as 0. The views hold what has been loaded and "
                "refreshed, so a stalled pipeline shows as ingest lag, not here."
            ),
        ),
        _rule(
            "edgelog-cache-hit-ratio",
            "Cache hit ratio",
            HIT_RATIO,
            window_s=4 * 3600,
            below=s.alert_hit_ratio,
            summary=f"Cache hit ratio below {s.alert_hit_ratio:.0%}",
            description=(
                "Hit and RefreshHit / (Hit, RefreshHit and Miss) requests (every site, bots "
                "included) over the current hour so far and the three before, from "
                "requests_hourly, below EDGELOG_ALERT_HIT_RATIO "
                f"({s.alert_hit_ratio}). A fixed floor rather than a comparison with the "
                "previous days: it is predictable, needs no history, and a slow decline "
                f"cannot drag its own baseline down. Fewer than {MIN_REQUESTS} cache lookups "
                "in the window count as a ratio of 1 (nothing to judge)."
            ),
        ),
        _rule(
            "edgelog-ingest-lag",
            "Ingest lag",
            INGEST_LAG,
            window_s=3600,
            above=s.alert_ingest_lag,
            summary=f"Metrics more than {s.alert_ingest_lag} s behind",
            description=(
                "Seconds from the end of the newest hour with requests (as last refreshed) to "
                f"now, from ingest_lag, above EDGELOG_ALERT_INGEST_LAG ({s.alert_ingest_lag}). "
                "Logs stopped arriving, loading or the refresh stalled, or the sites had no "
                "requests at all for that long. An empty database has no lag."
            ),
        ),
        _rule(
            "edgelog-failed-objects",
            "Failed log objects",
            FAILED_OBJECTS,
            window_s=3600,
            # Counts are whole: "more than n - 1" is "at least n".
            above=s.alert_failed_objects - 1,
            summary=f"At least {s.alert_failed_objects} log object(s) failed to load",
            description=(
                "Log objects whose load failed, from ingest_failures, at least "
                f"EDGELOG_ALERT_FAILED_OBJECTS ({s.alert_failed_objects}): those awaiting a "
                "retry and those that used up EDGELOG_MAX_ATTEMPTS. The Pipeline health "
                "dashboard and `edgelog status` list them with their errors."
            ),
        ),
    ]


def _rule(uid, title, sql, *, window_s, summary, description, above=None, below=None) -> dict:
    """A rule: query A (one row, one number), B its last value, C the threshold on B."""
    evaluator = (
        {"type": "gt", "params": [above]} if below is None else {"type": "lt", "params": [below]}
    )
    return {
        "uid": uid,
        "title": title,
        "condition": "C",
        "data": [
            {
                "refId": "A",
                # The SQL measures its own window; this range only documents it.
                "relativeTimeRange": {"from": window_s, "to": 0},
                "datasourceUid": DATASOURCE_UID,
                "model": {
                    "refId": "A",
                    "editorMode": "code",
                    "format": "table",
                    "rawQuery": True,
                    "rawSql": _tidy(sql),
                },
            },
            _expression("B", {"type": "reduce", "expression": "A", "reducer": "last"}),
            _expression(
                "C",
                {"type": "threshold", "expression": "B", "conditions": [{"evaluator": evaluator}]},
            ),
        ],
        "noDataState": "OK",
        "execErrState": "Error",
        "for": PENDING,
        "annotations": {"summary": summary, "description": description},
        "labels": {"source": "edgelog"},
        "isPaused": False,
    }


def _expression(ref: str, model: dict) -> dict:
    return {
        "refId": ref,
        "relativeTimeRange": {"from": 0, "to": 0},
        "datasourceUid": EXPRESSIONS_UID,
        "model": {"refId": ref, **model},
    }


def _tidy(sql: str) -> str:
    """No trailing blanks, so the YAML can show the SQL as a block."""
    return "\n".join(line.rstrip() for line in sql.strip().splitlines()) + "\n"


class _Dumper(yaml.SafeDumper):
    """Multi-line text (the SQL) as literal blocks, readable in the file."""


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def rules_yaml(settings: Settings | None = None) -> str:
    """The provisioning file: the defaults unless `settings` are given (`edgelog dashboards`
    passes the environment's)."""
    document = {
        "apiVersion": 1,
        "groups": [
            {
                "orgId": 1,
                "name": GROUP,
                "folder": FOLDER,
                "interval": INTERVAL,
                "rules": rules(settings),
            }
        ],
    }
    header = (
        "# Written by `edgelog dashboards` from grafana/alerting.py: edit that, not this file.\n"
        "# Thresholds are the EDGELOG_ALERT_* settings (README.md).\n"
    )
    return header + yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
