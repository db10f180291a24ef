"""Files shipped with edgelog: migrations, view SQL, Grafana dashboards.

In a source checkout they sit at the top of the repository; an installed wheel
carries them under `ingester/bundled/`.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The directory `name` (migrations, sql_views or grafana)."""
    for candidate in (_PACKAGE / "bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"edgelog is installed without its {name}/ directory")
