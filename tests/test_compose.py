"""docker compose cannot run here, so its file is checked statically."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "data" / "schemas" / "compose" / "compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    # The spec declares draft-07 under a URL jsonschema does not recognise; say it plainly.
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))


def test_compose_file_validates_against_the_compose_specification(compose, validator):
    validator.validate(compose)


def test_the_specification_check_catches_a_misspelt_key(compose, validator):
    broken = {**compose, "services": {**compose["services"], "grafana": {"imagee": "x"}}}
    assert not validator.is_valid(broken)


def test_every_bind_mount_and_build_context_exists_in_the_repository(compose):
    named = set(compose.get("volumes", {}))
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source in named:
                continue
            assert (ROOT / source).exists(), f"{name} mounts missing {source}"
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").is_file()


def test_images_are_pinned_and_grafana_is_13(compose):
    images = {n: s["image"] for n, s in compose["services"].items() if "image" in s}
    assert re.fullmatch(r"postgres:\d+", images["postgres"])
    assert re.fullmatch(r"grafana/grafana:13\.\d+\.\d+", images["grafana"])


def test_every_service_has_a_healthcheck_and_waits_for_postgres(compose):
    services = compose["services"]
    for name in ("postgres", "grafana", "ingester"):
        assert services[name]["healthcheck"]["test"]
    for name in ("grafana", "ingester"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["ingester"]["command"] == ["serve"]


def test_secrets_come_from_the_environment_only(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    for match in re.finditer(r"(PASSWORD|SECRET|KEY|SALT|TOKEN)[A-Z_]*:\s*(\S+)", text):
        assert match.group(2).startswith("${"), match.group(0)


def test_env_example_lists_every_variable_compose_reads():
    compose_vars = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    example = (ROOT / ".env.example").read_text()
    defined = set(re.findall(r"^(\w+)=", example, re.MULTILINE))
    assert compose_vars - {"EDGELOG_GEOIP_DB"} <= defined


def test_grafana_datasource_logs_in_as_the_read_only_role():
    provisioning = ROOT / "grafana" / "provisioning" / "datasources" / "edgelog.yaml"
    source = yaml.safe_load(provisioning.read_text())["datasources"][0]
    assert source["user"] == "edgelog_reader"
    assert source["secureJsonData"]["password"] == "$EDGELOG_READER_PASSWORD"
    assert source["type"] == "grafana-postgresql-datasource"


def test_dockerfile_installs_the_package_the_way_the_readme_does():
    install = "python -m pip install ."
    assert install in (ROOT / "README.md").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"RUN python -m pip install (--no-cache-dir )?\.(\s|$)", dockerfile)
    assert 'CMD ["serve"]' in dockerfile and 'ENTRYPOINT ["edgelog"]' in dockerfile


def test_the_demo_profile_writes_sample_logs_that_the_ingester_serves(compose, tmp_path):
    """The demo-logs command run by hand, with its volumes as directories here (one day
    instead of 14), gives what the ingester reads by default."""
    import os
    import subprocess
    import sys

    demo, geoip = tmp_path / "demo", tmp_path / "geoip"
    geoip.mkdir()
    service = compose["services"]["demo-logs"]
    assert service["profiles"] == ["demo"] and service["entrypoint"] == ["sh", "-c"]
    assert {"demo-data:/demo", "geoip-data:/geoip"} <= set(service["volumes"])
    [script] = service["command"]
    script = script.replace("/demo", str(demo)).replace("/geoip", str(geoip))
    script = script.replace("--days 14", "--days 1")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    ingester = compose["services"]["ingester"]
    assert "demo-data:/demo:ro" in ingester["volumes"]
    assert ingester["depends_on"]["demo-logs"] == {
        "condition": "service_completed_successfully",
        "required": False,
    }
    source = re.fullmatch(r"\$\{EDGELOG_SOURCE:-(.+)\}", ingester["environment"]["EDGELOG_SOURCE"])
    geoip_db = re.fullmatch(
        r"\$\{EDGELOG_GEOIP_DB:-(.+)\}", ingester["environment"]["EDGELOG_GEOIP_DB"]
    )
    logs = Path(source[1].replace("/demo", str(demo)))
    assert len(list(logs.glob("*.gz"))) > 24
    assert Path(geoip_db[1].replace("/geoip", str(geoip))).stat().st_size > 0
    # Run again (a restarted container), it keeps what is there.
    written = sorted((p.name, p.stat().st_mtime_ns) for p in logs.iterdir())
    again = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in logs.iterdir()) == written
