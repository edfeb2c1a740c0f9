"""docker-compose cannot run on the build machines; these tests keep it consistent with
the settings instead."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example_names() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_0-9]+=", line)}


def test_compose_has_the_production_processes():
    services = compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "meerwaarde.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "meerwaarde", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "meerwaarde", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")


def test_every_documented_variable_is_read_by_the_settings():
    settings_source = (ROOT / "meerwaarde" / "settings.py").read_text()
    for name in env_example_names():
        assert f'"{name}"' in settings_source, f"{name} in .env.example but not in settings"


def test_the_issue_named_variables_are_documented():
    required = {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    assert required | {"REQUIRE_2FA"} <= env_example_names()
