"""Print the `VIEWS = {...}` block a migration freezes: the given views' SQL as it is now.

    python scripts/freeze_views.py traffic_daily pages_daily >> migrations/versions/00NN_x.py

A migration that creates or changes views keeps its own copy of their SQL (the
files go on changing; a migration must not), executes each and grants the reader
role: `for view, sql in VIEWS.items(): op.execute(sql); op.execute(grant_read(view))`.
tests/test_views_sql.py checks that the newest copy of every view equals its file.
"""

from __future__ import annotations

import sys
from pathlib import Path

SQL_VIEWS = Path(__file__).resolve().parents[1] / "sql_views"


def frozen(names: list[str]) -> str:
    lines = ["# Frozen copies of sql_views/<view>.sql.", "VIEWS = {"]
    for name in names:
        text = (SQL_VIEWS / f"{name}.sql").read_text()
        if '"""' in text or "\\" in text:
            raise SystemExit(f"{name}.sql holds a triple quote or a backslash: freeze it by hand")
        lines.append(f'    "{name}": """\\\n{text}""",')
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print(frozen(sys.argv[1:]), end="")
