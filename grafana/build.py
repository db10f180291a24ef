"""Write the provisioned files: one JSON per dashboard and the alert rules.

`make dashboards` and `edgelog dashboards` run this; a test fails when the committed files
differ from what it writes, and a re-run writes the same bytes.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import grafana.dashboards
from grafana import alerting, render

PROVISIONING = Path(__file__).resolve().parent / "provisioning"


def dashboard_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(grafana.dashboards.__path__))


def dashboard(name: str):
    return importlib.import_module(f"grafana.dashboards.{name}").dashboard


def generated(settings=None) -> dict[str, str]:
    """Each provisioned file's path (under the provisioning folder) and text."""
    files = {f"dashboards/{name}.json": render.dumps(dashboard(name)) for name in dashboard_names()}
    files["alerting/edgelog.yaml"] = alerting.rules_yaml(settings)
    return files


def stale(provisioning: Path = PROVISIONING, files: dict[str, str] | None = None) -> list[str]:
    """The files (default: `generated()`) that are missing or differ in `provisioning`."""
    files = generated() if files is None else files
    return [
        path
        for path, text in files.items()
        if not (provisioning / path).is_file() or (provisioning / path).read_text() != text
    ]


def write(provisioning: Path, files: dict[str, str]) -> list[str]:
    """Write the files that changed; return their paths."""
    changed = stale(provisioning, files)
    for path in changed:
        target = provisioning / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path])
    return changed
