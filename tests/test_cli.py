import pytest
from typer.testing import CliRunner

from ingester.cli import app

runner = CliRunner()

COMMANDS = [[], ["config"], ["status"], ["health"], ["forget"], ["ingest"], ["sample"], ["serve"],
            ["db"], ["db", "upgrade"], ["db", "downgrade"], ["db", "url"],
            ["db", "stop"]]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "edgelog")
def test_every_command_explains_itself(command):
    result = runner.invoke(app, [*command, "--help"], prog_name="edgelog")
    assert result.exit_code == 0
    assert "Usage: edgelog" in result.output
    description = result.output.split("\n\n")[1].strip()
    assert len(description) > 20


def test_db_url_prints_database_url_when_set():
    result = runner.invoke(app, ["db", "url"], env={"DATABASE_URL": "postgres://u:p@db:5432/x"})
    assert result.exit_code == 0
    assert result.output.strip() == "postgresql://u:p@db:5432/x"


def test_db_stop_does_nothing_with_an_external_database():
    result = runner.invoke(app, ["db", "stop"], env={"DATABASE_URL": "postgresql://u:p@db/x"})
    assert result.exit_code == 0
    assert "no embedded server" in result.output


def test_db_upgrade_and_status_against_a_database(empty_db):
    env = {"DATABASE_URL": empty_db}
    upgraded = runner.invoke(app, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    status = runner.invoke(app, ["status"], env=env)
    assert "(up to date)" in status.output
    assert "ingested: nothing yet" in status.output
    downgraded = runner.invoke(app, ["db", "downgrade", "base"], env=env)
    assert "database at revision base" in downgraded.output


def test_sample_writes_logs_and_says_what_to_run_next(tmp_path):
    result = runner.invoke(
        app, ["sample", "--out", str(tmp_path), "--days", "1", "--lines", "2000"]
    )
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "logs").glob("*.gz"))
    assert f"EDGELOG_GEOIP_DB={tmp_path / 'GeoLite2-City-sample.mmdb'}" in result.output
    assert f"edgelog ingest {tmp_path / 'logs'}" in result.output


def test_health_reports_a_database_that_is_not_migrated(empty_db):
    result = runner.invoke(app, ["health"], env={"DATABASE_URL": empty_db})
    assert result.exit_code == 1
    assert "unhealthy: schema at nothing" in result.output


def test_health_is_healthy_on_a_current_database(migrated_db):
    result = runner.invoke(app, ["health"], env={"DATABASE_URL": migrated_db})
    assert (result.exit_code, result.output.strip()) == (0, "healthy")
