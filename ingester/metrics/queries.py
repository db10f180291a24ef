"""The SQL of refreshing, one file per step in ingester/metrics/sql/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")


@cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()
