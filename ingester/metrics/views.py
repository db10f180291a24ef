"""The metric views: one `sql_views/<view>.sql` each, all built from the rollups."""

from __future__ import annotations

import re
from functools import cache

from ingester.resources import bundled

ROLLUP = re.compile(r"\brollup_\w+")


@cache
def names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in bundled("sql_views").glob("*.sql")))


def check(requested: list[str]) -> None:
    """Raise ValueError naming any view that does not exist."""
    unknown = sorted(set(requested) - set(names()))
    if unknown:
        raise ValueError(f"no such view: {', '.join(unknown)} (views: {', '.join(names())})")


@cache
def rollups_of(view: str) -> tuple[str, ...]:
    """The rollup tables a view reads, as its SQL names them."""
    return tuple(sorted(set(ROLLUP.findall((bundled("sql_views") / f"{view}.sql").read_text()))))
