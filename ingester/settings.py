"""Every setting edgelog reads, declared once: environment name, default, help.

Settings come only from the environment (`DATABASE_URL` and `EDGELOG_*`). Each
field below names its variable, its default and its help text; `edgelog config`
and the README table are both generated from these declarations.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs


class SettingsError(ValueError):
    """One or more environment variables hold values edgelog cannot use."""


# --- parsers: each turns the raw string into a value or raises ValueError
# with a message that says what is expected.


def _text(raw: str) -> str:
    return raw


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError("a whole number") from None
    if value < 1:
        raise ValueError("a whole number of at least 1")
    return value


def _non_negative_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError("a whole number (0 or more)") from None
    if value < 0:
        raise ValueError("a whole number (0 or more)")
    return value


def _fraction(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("a fraction between 0 and 1, such as 0.05") from None
    if not 0 <= value <= 1:
        raise ValueError("a fraction between 0 and 1, such as 0.05")
    return value


def _port(raw: str) -> int:
    value = _positive_int(raw)
    if value > 65535:
        raise ValueError("a TCP port between 1 and 65535")
    return value


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("true or false")


def _workers(raw: str) -> int | str:
    if raw.strip().lower() == "auto":
        return "auto"
    try:
        return _positive_int(raw)
    except ValueError:
        raise ValueError("'auto' or a whole number of at least 1") from None


def _seconds_or_auto(raw: str) -> int | str:
    if raw.strip().lower() == "auto":
        return "auto"
    try:
        return _positive_int(raw)
    except ValueError:
        raise ValueError("'auto' or a whole number of seconds") from None


def _day(raw: str) -> str:
    try:
        return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise ValueError("a UTC day as YYYY-MM-DD") from None


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(item.strip().lower() for item in raw.split(",") if item.strip())


def _networks(raw: str) -> tuple[str, ...]:
    """CIDRs (or single addresses), kept as their canonical text."""
    networks = []
    for item in raw.split(","):
        if item.strip():
            try:
                networks.append(str(ipaddress.ip_network(item.strip(), strict=False)))
            except ValueError:
                raise ValueError("comma-separated addresses or CIDRs such as 10.0.0.0/8") from None
    return tuple(networks)


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValueError("one of " + ", ".join(allowed))
        return value

    return parse


def _database_url(raw: str) -> str:
    if not raw.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ValueError("a PostgreSQL URL such as postgresql://user:password@host:5432/edgelog")
    return raw


def _source(raw: str) -> str:
    if "://" in raw and not raw.startswith("s3://"):
        raise ValueError("s3://bucket/prefix or a local path")
    return raw


def _delimiter(raw: str) -> str:
    value = {"\\t": "\t", "tab": "\t", "space": " "}.get(raw, raw)
    if len(value) != 1:
        raise ValueError("a single character, or 'tab' / 'space'")
    return value


def default_pg_data() -> Path:
    """Where the embedded server keeps its data when EDGELOG_PG_DATA is unset.

    As root the server runs as another user, who must be able to walk every
    parent of the data directory; /root is closed to others, so root uses
    /var/lib/edgelog instead of its home.
    """
    if os.geteuid() == 0:
        return Path("/var/lib/edgelog/postgres")
    return platformdirs.user_data_path("edgelog") / "postgres"


def default_salt_file() -> Path:
    """The generated visitor key's file: the user's own data directory (root's too, as
    only edgelog, never the database server, reads it)."""
    return platformdirs.user_data_path("edgelog") / "visitor-key"


def setting(
    env: str, default: str | Callable[[], str] | None, help: str, parse=_text, secret: bool = False
) -> Any:
    """Declare a setting: its variable, default (as the text you would set), help."""
    return field(
        default=None,
        metadata={"env": env, "default": default, "help": help, "parse": parse, "secret": secret},
    )


ASSET_EXTENSIONS = (
    "css,js,mjs,map,json,xml,txt,ico,png,jpg,jpeg,gif,webp,avif,svg,bmp,tif,tiff,"
    "woff,woff2,ttf,otf,eot,mp4,webm,m4v,mov,mp3,m4a,ogg,wav,flac,pdf,zip,gz,tgz,"
    "bz2,xz,7z,rar,dmg,exe,msi,apk,wasm,ts,m3u8,mpd,m4s,csv,rss,atom,webmanifest"
)
CLICK_IDS = (
    "fbclid,gclid,gbraid,wbraid,dclid,gclsrc,msclkid,twclid,ttclid,li_fat_id,"
    "igshid,yclid,mc_eid,_hsenc,_hsmi,mkt_tok,srsltid"
)
# CloudFront signed URLs, S3 presigned URLs, and the usual names of tokens and secrets.
REDACT_PARAMS = (
    "signature,policy,key-pair-id,expires,x-amz-signature,x-amz-credential,"
    "x-amz-security-token,token,access_token,id_token,code,password,api_key,apikey,key,"
    "sig,auth,session"
)


@dataclass(frozen=True)
class Settings:
    database_url: str | None = setting(
        "DATABASE_URL",
        None,
        "PostgreSQL to use. Unset: edgelog starts (or reuses) its own embedded server.",
        _database_url,
        secret=True,
    )
    pg_port: int = setting(
        "EDGELOG_PG_PORT",
        "54329",
        "TCP port on 127.0.0.1 for the embedded PostgreSQL server.",
        _port,
    )
    pg_data: Path = setting(
        "EDGELOG_PG_DATA",
        lambda: str(default_pg_data()),
        "Data directory of the embedded server. Unset: the user data directory, "
        "or /var/lib/edgelog/postgres when run as root.",
        _path,
    )
    reader_password: str | None = setting(
        "EDGELOG_READER_PASSWORD",
        None,
        "Password of the read-only role edgelog_reader that Grafana logs in as. "
        "Unset: the role exists but cannot log in with a password.",
        secret=True,
    )
    source: str | None = setting(
        "EDGELOG_SOURCE",
        None,
        "Logs that `edgelog serve` polls: s3://bucket/prefix or a local directory.",
        _source,
    )
    salt: str | None = setting(
        "EDGELOG_SALT",
        None,
        "Secret key of the visitor hash. Unset: generated once into EDGELOG_SALT_FILE, "
        "outside the database.",
        secret=True,
    )
    salt_file: Path = setting(
        "EDGELOG_SALT_FILE",
        lambda: str(default_salt_file()),
        "File holding the generated visitor key when EDGELOG_SALT is unset (owner-only). "
        "Unset: visitor-key in the user data directory. Every machine loading into one "
        "database needs the same key.",
        _path,
    )
    salt_rotation: str = setting(
        "EDGELOG_SALT_ROTATION",
        "none",
        "'daily' gives every UTC day a random visitor key, destroyed 48 hours after the day "
        "began: visitors cannot be followed across days, by anyone, so multi-day unique "
        "visitors and cohorts are no longer possible.",
        _choice("none", "daily"),
    )
    geoip_db: Path | None = setting(
        "EDGELOG_GEOIP_DB",
        None,
        "MaxMind GeoLite2/GeoIP2 City or Country database (.mmdb). Unset: no geography.",
        _path,
    )
    funnels: Path | None = setting(
        "EDGELOG_FUNNELS",
        None,
        "Funnels file (YAML or TOML): each funnel a name and an ordered list of path patterns "
        "('*' for any characters). Read at every refresh.",
        _path,
    )
    log_delimiter: str = setting(
        "EDGELOG_LOG_DELIMITER",
        "tab",
        "Field delimiter of standard logging v2 W3C/plain output: 'tab', 'space' or a character.",
        _delimiter,
    )
    trust_forwarded_for: bool = setting(
        "EDGELOG_TRUST_FORWARDED_FOR",
        "false",
        "Take the visitor's address from x-forwarded-for (for sites behind another proxy in "
        "front of CloudFront): the rightmost address that is not a trusted proxy, as anything "
        "left of it is written by the client. Off: c-ip, which a client cannot forge.",
        _boolean,
    )
    trusted_proxies: tuple[str, ...] = setting(
        "EDGELOG_TRUSTED_PROXIES",
        None,
        "Comma-separated CIDRs of your proxies in front of CloudFront, for "
        "EDGELOG_TRUST_FORWARDED_FOR: x-forwarded-for is read only when c-ip is one of them, "
        "and they are skipped in it. Unset: c-ip is taken to be your one proxy.",
        _networks,
    )
    workers: int | str = setting(
        "EDGELOG_WORKERS",
        "auto",
        "Processes that parse logs while ingesting; 'auto' is one per CPU, 1 parses in the "
        "ingesting process itself.",
        _workers,
    )
    download_concurrency: int = setting(
        "EDGELOG_DOWNLOAD_CONCURRENCY",
        "8",
        "S3 objects downloaded at once while ingesting.",
        _positive_int,
    )
    poll_interval: int = setting(
        "EDGELOG_POLL_INTERVAL",
        "300",
        "Seconds between two polls of EDGELOG_SOURCE by `edgelog serve`.",
        _positive_int,
    )
    lookback_hours: int = setting(
        "EDGELOG_LOOKBACK_HOURS",
        "48",
        "How far back `edgelog serve` lists S3 keys once its first poll (a backfill) went "
        "through, to catch late deliveries (at least 24).",
        _positive_int,
    )
    backfill_since: str | None = setting(
        "EDGELOG_BACKFILL_SINCE",
        None,
        "First UTC day (YYYY-MM-DD) that the first poll of `edgelog serve` loads from an S3 "
        "source. Unset: the whole source.",
        _day,
    )
    max_attempts: int = setting(
        "EDGELOG_MAX_ATTEMPTS",
        "5",
        "Times `edgelog serve` tries to load an object that fails (a corrupt file, an S3 error), "
        "waiting longer after each failure, before leaving it marked failed.",
        _positive_int,
    )
    health_poll_age: int | str = setting(
        "EDGELOG_HEALTH_POLL_AGE",
        "auto",
        "Seconds since the last successful poll (or the last object loaded) after which "
        "`edgelog health` fails. 'auto': three poll intervals plus 10 minutes.",
        _seconds_or_auto,
    )
    health_refresh_age: int = setting(
        "EDGELOG_HEALTH_REFRESH_AGE",
        "3600",
        "Seconds that loaded days may wait for a refresh before `edgelog health` fails.",
        _positive_int,
    )
    retention_days: int = setting(
        "EDGELOG_RETENTION_DAYS",
        "0",
        "Days of request data to keep; older day partitions are dropped. 0 keeps everything.",
        _non_negative_int,
    )
    quarantine_days: int = setting(
        "EDGELOG_QUARANTINE_DAYS",
        "90",
        "Days that quarantined lines are kept by `edgelog serve`'s daily maintenance. "
        "0 keeps them all.",
        _non_negative_int,
    )
    alert_5xx_rate: float = setting(
        "EDGELOG_ALERT_5XX_RATE",
        "0.05",
        "Grafana alert: share of requests answered 5xx over the current and the previous hour "
        "above which it fires (written into the alert rules by `edgelog dashboards`).",
        _fraction,
    )
    alert_hit_ratio: float = setting(
        "EDGELOG_ALERT_HIT_RATIO",
        "0.5",
        "Grafana alert: cache hit ratio over the last three hours below which it fires "
        "(written into the alert rules by `edgelog dashboards`).",
        _fraction,
    )
    alert_ingest_lag: int = setting(
        "EDGELOG_ALERT_INGEST_LAG",
        "10800",
        "Grafana alert: seconds since the end of the newest hour with requests above which it "
        "fires (written into the alert rules by `edgelog dashboards`).",
        _positive_int,
    )
    alert_failed_objects: int = setting(
        "EDGELOG_ALERT_FAILED_OBJECTS",
        "1",
        "Grafana alert: failed log objects (see EDGELOG_MAX_ATTEMPTS) from which it fires "
        "(written into the alert rules by `edgelog dashboards`).",
        _positive_int,
    )
    asset_extensions: tuple[str, ...] = setting(
        "EDGELOG_ASSET_EXTENSIONS",
        ASSET_EXTENSIONS,
        "Comma-separated path extensions that are not pages (when the content type is unknown).",
        _csv,
    )
    pageview_content_types: tuple[str, ...] = setting(
        "EDGELOG_PAGEVIEW_CONTENT_TYPES",
        "text/html,application/xhtml+xml",
        "Comma-separated content types that count as pages.",
        _csv,
    )
    click_ids: tuple[str, ...] = setting(
        "EDGELOG_CLICK_IDS",
        CLICK_IDS,
        "Comma-separated query parameters removed from stored query strings (ad click ids).",
        _csv,
    )
    redact_params: tuple[str, ...] = setting(
        "EDGELOG_REDACT_PARAMS",
        REDACT_PARAMS,
        "Comma-separated query and path (matrix) parameters whose values are dropped before "
        "anything is stored or quarantined: signatures, credentials, tokens, passwords.",
        _csv,
    )
    log_level: str = setting(
        "EDGELOG_LOG_LEVEL",
        "info",
        "Logging level.",
        _choice("debug", "info", "warning", "error"),
    )
    log_format: str = setting(
        "EDGELOG_LOG_FORMAT",
        "text",
        "'text' for one readable line per event, 'json' for one JSON object per line "
        "(containers, log collectors).",
        _choice("text", "json"),
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting; report all bad values at once."""
        environ = os.environ if environ is None else environ
        values, problems = {}, []
        for spec in declarations():
            raw = environ.get(spec.env)
            if raw is None or raw == "":
                raw = spec.default() if callable(spec.default) else spec.default
            if raw is None:
                values[spec.name] = None
                continue
            try:
                values[spec.name] = spec.parse(raw)
            except ValueError as exc:
                problems.append(f"{spec.env} must be {exc}")
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)

    def described(self) -> list[tuple[str, str, str]]:
        """(variable, effective value with secrets masked, help) for each setting."""
        rows = []
        for spec in declarations():
            value = getattr(self, spec.name)
            rows.append((spec.env, _show(value, spec.secret), spec.help))
        return rows

    def __repr__(self) -> str:
        # Settings end up in logs and tracebacks: secrets are masked there too.
        shown = []
        for spec in declarations():
            value = getattr(self, spec.name)
            text = repr(_mask(str(value))) if spec.secret and value is not None else repr(value)
            shown.append(f"{spec.name}={text}")
        return f"Settings({', '.join(shown)})"


@dataclass(frozen=True)
class Declaration:
    name: str
    env: str
    default: str | Callable[[], str] | None
    help: str
    parse: Callable[[str], Any]
    secret: bool


def declarations() -> list[Declaration]:
    return [Declaration(name=f.name, **f.metadata) for f in fields(Settings)]


def _show(value: Any, secret: bool) -> str:
    if value is None:
        return "(unset)"
    if secret:
        return _mask(str(value))
    if isinstance(value, tuple):
        return ",".join(value)

    if value == "\t":
        return "tab"
    return str(value)


def _mask(value: str) -> str:
    """Hide a secret; for URLs keep everything but the password."""
    if "://" in value and "@" in value:
        scheme, rest = value.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else value
    return "***"
