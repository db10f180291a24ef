"""The metric views: one `sql_views/<view>.sql` each, all built from the rollups."""

from __future__ import annotations

from functools import cache

from ingester.resources import bundled


@cache
def names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in bundled("sql_views").glob("*.sql")))


def check(requested: list[str]) -> None:
    """Raise ValueError naming any view that does not exist."""
    unknown = sorted(set(requested) - set(names()))
    if unknown:
        raise ValueError(f"no such view: {', '.join(unknown)} (views: {', '.join(names())})")
