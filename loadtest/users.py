"""What every simulated user shares: the account it logs in with, requests judged by the
status the application should give, think time, and the record of acknowledged
registrations that `loadtest.checks` holds against the database afterwards.

Locust gives each user its own HTTP session (cookies) and greenlet, the timings and the
statistics. The run writes a plan (`loadtest.seed`) and passes its path in LOAD_PLAN;
acknowledgements and refused forms go, one JSON object a line, to the file in LOAD_ACKS.
"""

import itertools
import json
import os
import urllib.parse
import uuid
from dataclasses import dataclass
from functools import cache

from locust import HttpUser, between
from locust.exception import RescheduleTask

from loadtest.forms import find_form, page_errors

LOGIN_PATH = "/account/inloggen/"


@cache
def plan() -> dict:
    """The accounts, the run's marker prefix and the products an intake may choose."""
    with open(os.environ["LOAD_PLAN"], encoding="utf-8") as file:
        return json.load(file)


def record(**entry) -> None:
    """One line in the acknowledgement file. Users are greenlets in one process, so a
    line is written whole before another user runs."""
    with open(os.environ["LOAD_ACKS"], "a", encoding="utf-8") as file:
        file.write(json.dumps(entry) + "\n")


@dataclass
class Page:
    status: int
    location: str  # the path of a redirect, "" otherwise
    text: str


class LoadUser(HttpUser):
    """A member of staff at work: logs in through the real login page (password only: the
    run switches the second factor off) and posts forms as a browser does, with the CSRF
    token and the one-time form token from the page and an Origin header."""

    abstract = True
    role = ""  # the key of the plan's accounts
    wait_time = between(0.5, 1.5)
    _numbers: itertools.count  # one counter per role: every user gets its own account

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._numbers = itertools.count()

    def __init__(self, environment):
        super().__init__(environment)
        names = plan()["users"][self.role]
        self.username = names[next(self._numbers) % len(names)]
        self.logged_in = False
        self.client.headers.update(
            {"User-Agent": "meerwaarde-load-run", "Accept": "text/html", "Origin": self.host}
        )

    def request(self, method, name, path, *, data=None, params=None, expect=(200,)) -> Page:
        """The response if its status is one of `expect`. A redirect to the login page
        (the session is gone) logs in again at the next task; any other status, or no
        answer at all, is a failure in Locust's statistics and ends the task."""
        with self.client.request(
            method,
            path,
            name=name,
            data=data,
            params=params,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            status = response.status_code
            location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
            ok = False
            if status == 302 and location.startswith(LOGIN_PATH) and path != LOGIN_PATH:
                response.success()  # not a fault of the application: log in again
                self.logged_in = False
            elif status in expect:
                response.success()
                ok = True
            elif status:
                response.failure(f"status {status}")
            else:
                response.failure(f"geen antwoord: {response.error!r}")
        if not ok:
            raise RescheduleTask()
        return Page(status, location, response.text or "")

    def get(self, name, path, *, params=None) -> Page:
        return self.request("GET", name, path, params=params)

    def post(self, name, path, data, *, expect=(200, 302)) -> Page:
        return self.request("POST", name, path, data=data, expect=expect)

    def ensure_logged_in(self) -> None:
        """Log in when not (yet) logged in; the task then goes on after a think pause."""
        if self.logged_in:
            return
        page = self.get("inloggen: pagina", LOGIN_PATH)
        form = find_form(page.text)
        password = plan()["password"]
        answer = self.post(
            "inloggen: versturen",
            LOGIN_PATH,
            form.data(username=self.username, password=password),
            expect=(302,),
        )
        self.logged_in = answer.status == 302
        self.wait()

    def marker(self, what: str) -> str:
        """A unique text that finds the registration in the database afterwards."""
        return f"{plan()['run_id']} {what} {uuid.uuid4().hex}"

    def acknowledge(self, **entry) -> None:
        record(**entry)

    def refused(self, name: str, page: str = "", *, reason: str = "") -> None:
        """A form the application refused with a message (e.g. the volunteer's last place
        was just taken): intended behaviour, counted apart from failures."""
        record(kind="refused", request=name, reason=reason or page_errors(page))
