"""The embedded default (`make run`) on SQLite with in-process tasks: the same commands
the Makefile runs, then a real server and the main flows over HTTP."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EMBEDDED_ENV = {
    "DEMO_MODE": "true",
    "DEBUG": "true",
    "REQUIRE_2FA": "false",
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A tiny cookie-keeping HTTP client, like a user with a browser."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base_url + path, timeout=20) as response:
            return response.status, response.read().decode()

    def post_form(self, path: str, data: dict) -> tuple[int, str]:
        _, html = self.get(path)
        data["csrfmiddlewaretoken"] = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', html
        ).group(1)
        request = urllib.request.Request(
            self.base_url + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base_url + path},
        )
        with self.opener.open(request, timeout=20) as response:
            return response.status, response.read().decode()


@pytest.fixture(scope="module")
def embedded_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("embedded")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(EMBEDDED_ENV, DATABASE_URL=f"sqlite:///{var / 'meerwaarde.sqlite3'}")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["load_reference_data"], ["load_demo_data"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base_url + "/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_embedded_default_runs_on_sqlite_with_in_process_tasks(embedded_server):
    status, body = Browser(embedded_server).get("/health/")
    assert status == 200
    assert '"broker": "in-process"' in body


def test_embedded_demo_accounts_log_in(embedded_server):
    from meerwaarde.setup_data.services import DEMO_ACCOUNTS, DEMO_PASSWORD

    for account in DEMO_ACCOUNTS:
        browser = Browser(embedded_server)
        status, html = browser.post_form(
            "/account/inloggen/", {"username": account.username, "password": DEMO_PASSWORD}
        )
        assert status == 200
        assert str(account.role.label) in html
