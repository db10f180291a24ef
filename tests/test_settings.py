from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingester.cli import app
from ingester.settings import Settings, SettingsError, declarations

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_apply_when_the_environment_is_empty():
    settings = Settings.from_env({})
    assert settings.database_url is None
    assert settings.pg_port == 54329
    assert settings.salt_rotation == "none"
    assert "gclid" in settings.click_ids
    assert settings.log_delimiter == "\t"


def test_values_are_read_from_the_environment():
    settings = Settings.from_env(
        {"EDGELOG_PG_PORT": "6000", "EDGELOG_CLICK_IDS": "A, b", "EDGELOG_LOG_DELIMITER": ","}
    )
    assert (settings.pg_port, settings.click_ids, settings.log_delimiter) == (6000, ("a", "b"), ",")


def test_every_bad_value_is_reported_with_its_variable_and_expectation():
    with pytest.raises(SettingsError) as error:
        Settings.from_env(
            {
                "EDGELOG_PG_PORT": "70000",
                "EDGELOG_SALT_ROTATION": "hourly",
                "DATABASE_URL": "mysql://x",
            }
        )
    message = str(error.value)
    assert "EDGELOG_PG_PORT must be a TCP port between 1 and 65535" in message
    assert "EDGELOG_SALT_ROTATION must be one of none, daily" in message
    assert "DATABASE_URL must be a PostgreSQL URL" in message


def test_a_bad_value_stops_any_command_with_exit_code_2():
    result = CliRunner().invoke(app, ["config"], env={"EDGELOG_RETENTION_DAYS": "soon"})
    assert result.exit_code == 2
    assert "EDGELOG_RETENTION_DAYS must be a whole number (0 or more)" in result.output


def test_config_prints_effective_values_with_secrets_masked():
    env = {
        "DATABASE_URL": "postgresql://edgelog:hunter2@db:5432/edgelog",
        "EDGELOG_SALT": "s3cret-salt",
        "EDGELOG_READER_PASSWORD": "reader-pw",
        "EDGELOG_POLL_INTERVAL": "60",
    }
    result = CliRunner().invoke(app, ["config"], env=env)
    assert result.exit_code == 0
    assert "DATABASE_URL=postgresql://edgelog:***@db:5432/edgelog" in result.output
    assert "EDGELOG_SALT=***" in result.output
    assert "EDGELOG_POLL_INTERVAL=60" in result.output
    for secret in ("hunter2", "s3cret-salt", "reader-pw"):
        assert secret not in result.output


def test_every_setting_has_help_and_is_documented_in_the_readme():
    readme = README.read_text()
    for spec in declarations():
        assert spec.help.strip(), spec.env
        assert f"`{spec.env}`" in readme, f"{spec.env} is not documented in README.md"


def test_the_repr_of_settings_masks_secrets():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://edgelog:hunter2@db:5432/edgelog",
            "EDGELOG_SALT": "s3cret-salt",
            "EDGELOG_READER_PASSWORD": "reader-pw",
        }
    )
    shown = repr(settings)
    for secret in ("hunter2", "s3cret-salt", "reader-pw"):
        assert secret not in shown
    assert "database_url='postgresql://edgelog:***@db:5432/edgelog'" in shown
    assert "pg_port=54329" in shown


def test_trusted_proxies_are_cidrs():
    settings = Settings.from_env({"EDGELOG_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32,192.0.2.7"})
    assert settings.trusted_proxies == ("10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32")
    with pytest.raises(SettingsError, match="EDGELOG_TRUSTED_PROXIES must be comma-separated"):
        Settings.from_env({"EDGELOG_TRUSTED_PROXIES": "10.0.0.0/8,proxy.example.com"})
