"""The embedded default (`make run`) on SQLite with in-process tasks: the same commands
the Makefile runs, then a real server and the main flows over HTTP."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def makefile_embedded_env() -> dict[str, str]:
    """The variables `make run` sets, read from the Makefile itself so this test runs
    exactly what a user gets (and notices when the Makefile changes)."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = re.search(r"^EMBEDDED_ENV\s*:=\s*(.+)$", text, re.MULTILINE).group(1)
    return dict(pair.split("=", 1) for pair in line.split())


EMBEDDED_ENV = makefile_embedded_env()
# What the test command exports for the PostgreSQL suite and `make run` does not set.
NOT_IN_MAKE_RUN = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "STATICFILES_STORAGE",
    "WHITENOISE_USE_FINDERS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


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

    def get_response(self, path: str) -> tuple[int, dict[str, str], str]:
        """Status, headers and body, error statuses included."""
        try:
            with self.opener.open(self.base_url + path, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def post_form(self, path: str, data: dict) -> tuple[int, str]:
        _, html = self.get(path)
        # Every hidden field of the page's forms (CSRF token, one-time form tokens, …).
        for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name and name.group(1) not in data:
                data[name.group(1)] = value.group(1) if value else ""
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
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_MAKE_RUN}
    env.update(EMBEDDED_ENV, DATABASE_URL=f"sqlite:///{var / 'meerwaarde.sqlite3'}")
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


def test_make_run_keeps_debug_off_in_demo_mode():
    assert EMBEDDED_ENV["DEBUG"] == "false"
    assert EMBEDDED_ENV["DEMO_MODE"] == "true"


def test_embedded_server_serves_its_own_static_files(embedded_server):
    """No collectstatic in `make run`: WhiteNoise serves the source files with DEBUG off."""
    browser = Browser(embedded_server)
    _, login_page = browser.get("/account/inloggen/")
    stylesheet = re.search(r'href="(/static/css/app\.css)"', login_page).group(1)
    status, headers, body = browser.get_response(stylesheet)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert body.strip()
    status, headers, _ = browser.get_response("/static/vendor/htmx/htmx.min.js")
    assert status == 200
    assert "javascript" in headers["Content-Type"]


def test_embedded_missing_page_is_the_dutch_404_page(embedded_server):
    status, _, body = Browser(embedded_server).get_response("/bestaat-niet/")
    assert status == 404
    assert "Pagina niet gevonden" in body
    # Not Django's technical page, which lists every URL pattern.
    assert "URLconf" not in body
    assert "beheer/" not in body
    assert "DEBUG = True" not in body


def test_embedded_pages_show_the_demo_banner(embedded_server):
    status, html = Browser(embedded_server).get("/account/inloggen/")
    assert status == 200
    assert "Demo-omgeving: gebruik geen echte persoonsgegevens." in html


def test_embedded_demo_accounts_log_in(embedded_server):
    from demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD

    for account in DEMO_ACCOUNTS:
        browser = Browser(embedded_server)
        status, html = browser.post_form(
            "/account/inloggen/", {"username": account.username, "password": DEMO_PASSWORD}
        )
        assert status == 200
        assert str(account.role.label) in html


def _tile_hours(html: str) -> float:
    match = re.search(r'data-testid="tile-hours">\s*([^<]*)<', html)
    text = match.group(1).strip() if match else "0"
    return 0.0 if text in ("", "–") else float(text.replace(".", "").replace(",", "."))


def test_embedded_hours_reach_the_dashboard_in_process(embedded_server):
    """The main flow on SQLite: a social worker books hours, the roll-up runs in-process
    after commit, and the manager's dashboard shows them at once."""
    import datetime

    from demo.services import DEMO_PASSWORD

    month = datetime.date.today().strftime("%Y-%m")
    manager = Browser(embedded_server)
    manager.post_form("/account/inloggen/", {"username": "manager", "password": DEMO_PASSWORD})
    status, html = manager.get(f"/rapportage/?periode={month}")
    assert status == 200 and "tile-hours" in html
    before = _tile_hours(html)

    worker = Browser(embedded_server)
    worker.post_form("/account/inloggen/", {"username": "sociaalwerker", "password": DEMO_PASSWORD})
    _, form = worker.get("/uren/toevoegen/")
    product = re.search(r'<option value="(\d+)"[^>]*>\s*1-5 gesprekken', form).group(1)
    status, html = worker.post_form(
        "/uren/toevoegen/",
        {
            "date": datetime.date.today().isoformat(),
            "product": product,
            "case": "",
            "kind": "coordinatie",
            "hours": "1,5",
            "note": "",
        },
    )
    assert status == 200 and "1,5 uur geregistreerd" in html

    _, html = manager.get(f"/rapportage/?periode={month}")
    assert _tile_hours(html) == before + 1.5
