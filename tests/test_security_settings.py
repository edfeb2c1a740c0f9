import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get(reverse("accounts:login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_carry_no_inline_scripts_or_styles(client, login, make_user):
    login(make_user())
    for url in (reverse("accounts:login"), reverse("home")):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
def test_error_pages_are_dutch_and_generic(client, login, make_user):
    login(make_user())
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_UNSET}
    env.update(
        SECRET_KEY="p" * 20 + "-Kx9#mQ2$vL7@wR4!zT8&nB3^cY6*hJ1%fD5",
        DEBUG="false",
        DEMO_MODE="false",
        ALLOWED_HOSTS="registratie.meerwaarde.nl",
    )
    return env


# The test command relaxes these for its plain-HTTP test server; production leaves them unset.
PRODUCTION_UNSET = {
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "REQUIRE_2FA",
    "STATICFILES_STORAGE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def test_check_deploy_is_clean_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_are_safe():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.CELERY_TASK_ACKS_LATE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "meerwaarde.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "31536000", "True"]


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY moet gezet zijn" in result.stderr
