"""Funnels from EDGELOG_FUNNELS: an ordered list of path patterns per funnel.

YAML or TOML, by the file's extension:

    funnels:                          [[funnels]]
      - name: Signup                  name = "Signup"
        steps: [/pricing, /signup*]   steps = ["/pricing", "/signup*"]

A pattern matches a whole path; `*` stands for any characters. The refresh keeps
the table `funnel_steps` equal to the file and, when the file changed, rebuilds
the funnel rollup for every day (see refresh.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import psycopg
import yaml


class FunnelError(ValueError):
    """The funnels file cannot be used; the message says why."""


@dataclass(frozen=True)
class Funnel:
    name: str
    steps: tuple[str, ...]  # globs

    def patterns(self) -> list[str]:
        return [like_pattern(step) for step in self.steps]


def load(path: Path | None) -> list[Funnel]:
    if path is None:
        return []
    try:
        text = Path(path).read_text()
        data = tomllib.loads(text) if str(path).endswith(".toml") else yaml.safe_load(text)
    except (OSError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise FunnelError(f"EDGELOG_FUNNELS {path}: {exc}") from None
    return _funnels(data, path)


def _funnels(data, path) -> list[Funnel]:
    entries = (data or {}).get("funnels") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise FunnelError(f"EDGELOG_FUNNELS {path}: expected a list under 'funnels'")
    funnels = []
    for number, entry in enumerate(entries, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        steps = entry.get("steps") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise FunnelError(f"EDGELOG_FUNNELS {path}: funnel {number} has no name")
        if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
            raise FunnelError(f"EDGELOG_FUNNELS {path}: funnel {name!r} needs a list of steps")
        funnels.append(Funnel(name.strip(), tuple(steps)))
    if len({f.name for f in funnels}) < len(funnels):
        raise FunnelError(f"EDGELOG_FUNNELS {path}: two funnels share a name")
    return funnels


def like_pattern(glob: str) -> str:
    """A LIKE pattern matching what the glob matches: `*` any characters, nothing else special."""
    escaped = glob.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def sync(conn: psycopg.Connection, funnels: list[Funnel]) -> bool:
    """Make `funnel_steps` say what the file says; True when it changed."""
    wanted = sorted(
        (funnel.name, step, pattern)
        for funnel in funnels
        for step, pattern in enumerate(funnel.patterns(), 1)
    )
    stored = conn.execute("select funnel, step, pattern from funnel_steps order by 1, 2").fetchall()
    if stored == wanted:
        return False
    conn.execute("delete from funnel_steps")
    if wanted:
        with conn.cursor() as cur:
            cur.executemany("insert into funnel_steps values (%s, %s, %s)", wanted)
    return True
