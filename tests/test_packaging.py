import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_migrations_views_and_grafana_files(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("edgelog-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ingester/bundled/migrations/env.py" in names
    assert "ingester/bundled/migrations/versions/0001_foundation.py" in names
    assert "ingester/bundled/grafana/provisioning/datasources/edgelog.yaml" in names
    for view in (ROOT / "sql_views").glob("*.sql"):
        assert f"ingester/bundled/sql_views/{view.name}" in names
    assert any(n.endswith("entry_points.txt") and "edgelog" for n in names)
    assert not [n for n in names if n.startswith("tests/")]  # nor the test data
