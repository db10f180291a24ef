"""Provisioning that works unchanged in docker compose and for a Grafana installed locally,
and `edgelog dashboards`, which writes it."""

import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from grafana import build
from ingester.cli import app

ROOT = Path(__file__).resolve().parents[1]
PROVISIONING = ROOT / "grafana" / "provisioning"
runner = CliRunner()


def _env_references(path: Path) -> set[str]:
    return set(re.findall(r"\$\{?(\w+)", path.read_text()))


def test_the_datasource_has_a_fixed_uid_and_takes_its_place_from_the_environment():
    source = yaml.safe_load((PROVISIONING / "datasources" / "edgelog.yaml").read_text())
    source = source["datasources"][0]
    assert (source["uid"], source["type"]) == ("edgelog", "grafana-postgresql-datasource")
    assert source["jsonData"]["database"] == "$EDGELOG_DB_NAME"
    assert source["url"] == "$EDGELOG_DB_ADDRESS"
    assert "database" not in source  # Grafana 13 reads it from jsonData only


def test_compose_gives_grafana_every_variable_its_provisioning_reads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["grafana"]["environment"]
    needed = set()
    for path in PROVISIONING.rglob("*.yaml"):
        needed |= _env_references(path)
    # GF_PATHS_PROVISIONING is set by Grafana's image itself.
    assert needed - {"GF_PATHS_PROVISIONING"} <= set(environment)


def test_the_dashboard_provider_reads_the_folder_the_json_is_written_to():
    provider = yaml.safe_load((PROVISIONING / "dashboards" / "edgelog.yaml").read_text())
    assert provider["providers"][0]["options"]["path"] == "$GF_PATHS_PROVISIONING/dashboards"
    assert {p.name for p in (PROVISIONING / "dashboards").glob("*.json")} == {
        f"{name}.json" for name in build.dashboard_names()
    }


def test_edgelog_dashboards_writes_every_file_then_nothing_the_second_time(tmp_path):
    first = runner.invoke(app, ["dashboards", "--out", str(tmp_path)])
    assert first.exit_code == 0, first.output
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.*"))
    assert written == sorted(build.generated())
    second = runner.invoke(app, ["dashboards", "--out", str(tmp_path)])
    assert "wrote" not in second.output


def test_edgelog_dashboards_check_fails_on_a_stale_file(tmp_path):
    runner.invoke(app, ["dashboards", "--out", str(tmp_path)])
    assert runner.invoke(app, ["dashboards", "--out", str(tmp_path), "--check"]).exit_code == 0
    (tmp_path / "dashboards" / "overview.json").write_text("{}")
    result = runner.invoke(app, ["dashboards", "--out", str(tmp_path), "--check"])
    assert result.exit_code == 1
    assert "stale: dashboards/overview.json" in result.output
