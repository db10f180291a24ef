"""Erasing one visitor (`edgelog forget`): the GDPR right to erasure.

The person gives their IP address and user agent; the visitor id is computed
with the very code the loader uses (the same address and user agent
normalisation, the same keyed hash, for every site or one), and their
requests are deleted. With daily rotation a day's id can only be computed
while its seed exists (today and yesterday); older days' ids can no longer be
linked to anyone, by anyone, which is what rotation is for.

The days that lost rows are marked dirty in the deleting transaction, and the
refresh that follows rebuilds their visits and rollups from what is left, so
the person disappears from the visits, the visitor sets and every view. The
visitor's row in `visitor_numbers` is deleted too: it holds their id, and with
no request left nothing will ask for that number again (numbers are never
reused, so no other visitor's bit moves). The refresh lock is held meanwhile,
so a refresh running on an older snapshot cannot number them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import psycopg

from ingester.enrich.visitor import VisitorHasher
from ingester.load.ledger import mark_dirty
from ingester.load.rows import _user_agent as stored_user_agent
from ingester.load.salt import day_key, visitor_salt
from ingester.logs import decode
from ingester.metrics.refresh import REFRESH_LOCK, refresh
from ingester.settings import Settings


class ForgetError(ValueError):
    """The visitor cannot be looked for: a bad address, an unknown site, no key."""


@dataclass
class Forgotten:
    rows: int = 0
    days: list[date] = field(default_factory=list)  # days that lost rows, now refreshed
    sites: list[str] = field(default_factory=list)  # sites that had rows of the visitor
    keyless_days: bool = False  # rotation: older days' ids cannot be computed by anyone


def forget(
    url: str, settings: Settings, ip: str, user_agent: str, site: str | None = None
) -> Forgotten:
    address = decode.ip(ip)
    if address is None:
        raise ForgetError(f"not an IP address: {ip!r}")
    agent = stored_user_agent(user_agent) if user_agent else None
    if not settings.salt and not settings.salt_file.exists():
        raise ForgetError(
            f"no visitor key ({settings.salt_file} does not exist and EDGELOG_SALT is unset): "
            "run this where the logs were loaded"
        )
    result = Forgotten()
    with psycopg.connect(url, autocommit=True) as conn:
        salt = visitor_salt(conn, settings.salt, settings.salt_file)
        sites = _sites(conn, site)
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            if settings.salt_rotation == "daily":
                seeds = conn.execute("select day, seed from visitor_keys order by day").fetchall()
                result.keyless_days = True
                for day, seed in seeds:
                    key = day_key(salt, bytes(seed))
                    hasher = VisitorHasher(salt, lambda _day, key=key: key)
                    _delete(conn, result, sites, hasher, agent, address, day)
            else:
                _delete(conn, result, sites, VisitorHasher(salt), agent, address, None)
            mark_dirty(conn, [str(day) for day in result.days])
    if result.days:
        refresh(url)
    return result


def _sites(conn, site: str | None) -> dict[int, str]:
    if site is None:
        return dict(conn.execute("select id, host from sites").fetchall())
    row = conn.execute("select id, host from sites where host = %s", [site.lower()]).fetchone()
    if row is None:
        raise ForgetError(f"no such site: {site}")
    return {row[0]: row[1]}


def _delete(conn, result: Forgotten, sites, hasher, agent, address, day: date | None) -> None:
    ids = {
        site_id: hasher.visitor_id(host, address, agent, str(day or ""))
        for site_id, host in sites.items()
    }
    where, params = "", []
    if day is not None:  # that day's id lives in that day's rows only
        where = " and ts >= %s and ts < %s"
        params = [f"{day} 00:00+00", f"{day + timedelta(days=1)} 00:00+00"]
    deleted = conn.execute(
        "with gone as (delete from requests where (site_id, visitor_id) in"
        " (select * from unnest(%s::integer[], %s::bigint[]))"
        + where
        + " returning site_id, (ts at time zone 'UTC')::date as day)"
        " select site_id, day, count(*) from gone group by site_id, day",
        [list(ids), list(ids.values()), *params],
    ).fetchall()
    for site_id, gone_day, count in deleted:
        result.rows += count
        if gone_day not in result.days:
            result.days.append(gone_day)
        if sites[site_id] not in result.sites:
            result.sites.append(sites[site_id])
    touched = sorted({site_id for site_id, _, _ in deleted})
    conn.execute(
        "delete from visitor_numbers where (site_id, visitor_id) in"
        " (select * from unnest(%s::integer[], %s::bigint[]))",
        [touched, [ids[s] for s in touched]],
    )
    result.days.sort()
