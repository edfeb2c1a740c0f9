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


# Packages of pyproject's dev extra and what only they pull in.
DEV_ONLY = {"pytest", "pytest-django", "factory-boy", "faker", "playwright", "ruff", "pip-tools"}
DEV_ONLY |= {"hypothesis", "build", "pyproject-hooks", "iniconfig", "pluggy", "greenlet"}


def pins(lock: str) -> dict[str, str]:
    lines = (ROOT / lock).read_text().splitlines()
    return dict(line.split("==", 1) for line in lines if re.match(r"^[A-Za-z0-9].*==", line))


def test_the_production_lock_holds_no_test_or_dev_package():
    production = pins("requirements.lock")
    assert {"django", "celery", "gunicorn", "psycopg"} <= set(production)
    assert not DEV_ONLY & set(production)


def test_the_dev_lock_is_the_production_lock_plus_the_dev_packages_at_the_same_versions():
    production, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in production} == production
    assert {"pytest", "pytest-django", "factory-boy", "playwright", "hypothesis"} <= set(dev)


def test_the_image_installs_the_production_lock_and_the_venv_the_dev_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    commands = [line for line in dockerfile.splitlines() if not line.startswith("#")]
    installs = [line for line in commands if "pip install" in line]
    assert installs == ["RUN pip install --no-cache-dir -r requirements.lock"]
    assert not [line for line in commands if "requirements-dev.lock" in line]
    makefile = (ROOT / "Makefile").read_text()
    venv_rule = re.search(r"^\$\(VENV\)/\.installed:(.*?)\n\n", makefile, re.M | re.S).group(1)
    # A changed lock (either one) reinstalls the venv that `make run` and `make test` use.
    assert venv_rule.splitlines()[0].split() == ["requirements.lock", "requirements-dev.lock"]
    assert "-r requirements-dev.lock" in venv_rule
