"""Generate Grafana dashboard JSON from grafana/dashboards/*.py (`make dashboards`).

Each module defines `dashboard`, a grafanalib Dashboard. Its JSON goes to
grafana/provisioning/dashboards/<module>.json, where Grafana's file provider
picks it up. `--check` fails when a committed JSON file is stale.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from grafanalib._gen import DashboardEncoder

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "grafana" / "dashboards"
OUTPUT = ROOT / "grafana" / "provisioning" / "dashboards"


def render(module_path: Path) -> str:
    spec = importlib.util.spec_from_file_location(f"dashboard_{module_path.stem}", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = module.dashboard.to_json_data()
    return json.dumps(data, cls=DashboardEncoder, indent=2, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if generated JSON is stale")
    args = parser.parse_args()
    sys.path.insert(0, str(SOURCES.parent))
    modules = sorted(p for p in SOURCES.glob("*.py") if not p.name.startswith("_"))
    stale = []
    for path in modules:
        target = OUTPUT / f"{path.stem}.json"
        text = render(path)
        current = target.read_text() if target.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(target.name)
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("stale dashboards (run `make dashboards`): " + ", ".join(stale))
        return 1
    print(f"{len(modules)} dashboard(s) up to date in {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
