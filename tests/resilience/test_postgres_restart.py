"""PostgreSQL restarted while requests are running: requests during the restart get the
Dutch 503 page (never a 500), requests after it succeed without restarting the app, and
every registration the app acknowledged is in the database, exactly once.

Run against the pytest-django live server (a fresh connection per request) and against
gunicorn as deployed (persistent connections, CONN_MAX_AGE, which must notice the dead
connection through CONN_HEALTH_CHECKS)."""

import datetime
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.choices import HourKind
from cases.models import HourRegistration
from meerwaarde.accounts.models import Role
from tests.conftest import ROOT
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DOWNTIME_SECONDS = 2.0
NOTE_PREFIX = "herstart-"


def pg_ctl(*args: str) -> None:
    """pg_ctl on the test cluster with the options scripts/services.sh started it with."""
    data = os.environ["TEST_PG_DATA"]
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    options = os.environ["TEST_PG_OPTIONS"]
    command = [*run_as, str(Path(os.environ["TEST_PG_BIN"]) / "pg_ctl"), "-D", data]
    if args[0] == "start":
        command += ["-l", f"{data}/server.log", "-w", "-t", "60", "start", "-o", options]
    else:
        command += ["-w", "-t", "60", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=90)


def postgres_is_up() -> bool:
    try:
        socket.create_connection(
            ("127.0.0.1", urllib.parse.urlsplit(os.environ["DATABASE_URL"]).port), timeout=1
        ).close()
    except OSError:
        return False
    return True


@dataclass
class Outcome:
    note: str
    status: int
    started: float
    finished: float
    body: str = ""
    retry_after: str | None = None


class Page:
    """A logged-in browser over plain HTTP: session cookie, CSRF cookie and token."""

    def __init__(self, base_url: str, session_id: str):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {settings.SESSION_COOKIE_NAME: session_id}
        page = self.request("GET", "/uren/toevoegen/")
        assert page[0] == 200, page
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page[1]).group(1)

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, text, response.getheader("Retry-After")
        finally:
            conn.close()


def register_hours_in_a_loop(page: Page, product_id: int, stop: threading.Event, out: list):
    today = timezone.localdate()
    number = 0
    while not stop.is_set():
        number += 1
        note = f"{NOTE_PREFIX}{number}"
        started = time.monotonic()
        status, body, retry_after = page.request(
            "POST",
            "/uren/toevoegen/",
            {
                "csrfmiddlewaretoken": page.csrf,
                # 0,25 hour on one of the last 60 days: far below 24 hours a day.
                "date": (today - datetime.timedelta(days=number % 60)).isoformat(),
                "product": product_id,
                "case": "",
                "kind": HourKind.DIRECT,
                "hours": "0,25",
                "note": note,
            },
        )
        out.append(
            Outcome(
                note,
                status,
                started,
                time.monotonic(),
                body if status != 302 else "",
                retry_after,
            )
        )
        time.sleep(0.02)


@pytest.fixture
def gunicorn_url(catalogue):
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    number = port.getsockname()[1]
    port.close()
    database_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{database_url}/{connection.settings_dict['NAME']}",
        "CONN_MAX_AGE": "60",
        # Its roll-up messages go to a queue no worker reads (see no_rollup_messages).
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0] + "/15",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "meerwaarde.wsgi:application", "--bind",
         f"127.0.0.1:{number}", "--workers", "2", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", number, timeout=2)
                probe.request("GET", "/health/")
                probe.getresponse().read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{number}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(params=["live_server", "gunicorn"])
def app_url(request, catalogue, no_rollup_messages):
    if request.param == "live_server":
        return request.getfixturevalue("live_server").url
    return request.getfixturevalue("gunicorn_url")


def test_requests_during_a_postgres_restart_get_503_and_nothing_acknowledged_is_lost(
    app_url, catalogue, browser
):
    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory()])
    session_id = browser(worker).cookies[settings.SESSION_COOKIE_NAME].value
    page = Page(app_url, session_id)
    outcomes: list[Outcome] = []
    stop = threading.Event()
    loop = threading.Thread(
        target=register_hours_in_a_loop,
        args=(page, catalogue["1-5-gesprekken"].pk, stop, outcomes),
    )
    loop.start()
    try:
        time.sleep(1.0)
        stopping = time.monotonic()
        # A restart with a pause, so that requests are certain to arrive while it is down.
        pg_ctl("stop", "-m", "fast")
        time.sleep(DOWNTIME_SECONDS)
        pg_ctl("start")
        back_up = time.monotonic()
        deadline = back_up + 30
        while time.monotonic() < deadline:
            if sum(1 for o in outcomes if o.started > back_up and o.status == 302) >= 10:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        loop.join(timeout=60)
        if not postgres_is_up():
            pg_ctl("start")
        connection.close()  # this test's own connection died with the server

    statuses = {o.status for o in outcomes}
    assert statuses <= {302, 503}, [(o.status, o.body[:300]) for o in outcomes if o.status >= 400]
    before = [o for o in outcomes if o.finished < stopping]
    after = [o for o in outcomes if o.started > back_up]
    during = [o for o in outcomes if o not in before and o not in after]
    assert before and all(o.status == 302 for o in before)
    refused = [o for o in during if o.status == 503]
    assert refused, "no request arrived while PostgreSQL was down"
    assert all("Tijdelijk niet beschikbaar" in o.body for o in refused)
    assert all(o.retry_after for o in refused)
    # Back without restarting the app: every request after the restart is served.
    assert len(after) >= 10 and all(o.status == 302 for o in after)

    saved = list(
        HourRegistration.objects.filter(worker=worker, note__startswith=NOTE_PREFIX).values_list(
            "note", flat=True
        )
    )
    assert len(saved) == len(set(saved)), "a registration was saved twice"
    acknowledged = {o.note for o in outcomes if o.status == 302}
    assert acknowledged <= set(saved), "an acknowledged registration is missing"
    # At most those refused while already committed (the failure came after the commit).
    assert set(saved) - acknowledged <= {o.note for o in refused}
