"""Load run: concurrent simulated users against gunicorn on PostgreSQL with a Celery worker.

Social workers register intakes and hours, coordinators propose volunteers for waiting
cases (and break some matches off again), managers read the dashboard. Every user logs in
through the real login page and posts the real forms with their CSRF and one-time tokens,
as a browser does. Every registration the application acknowledges (the success redirect)
is written down with a unique marker; afterwards the database must hold each of them
exactly once, and no response may be a 5xx.

    python scripts/load_run.py run --users 50 --duration 180

`run` works on the database of DATABASE_URL and the broker of CELERY_BROKER_URL (both
required, PostgreSQL and Redis): it migrates, loads the reference data, seeds the load
accounts and waiting cases, starts gunicorn and a Celery worker, drives the users, stops
the processes and checks the database. `--fresh-database` first creates a new database on
that server (and drops it afterwards), so an existing database is left alone. Exit status:
0 when every guarantee held, 1 otherwise. Only the standard library drives the users (one
thread and one cookie jar per user), so nothing extra needs installing.
"""
# ruff: noqa: S311, S603

import argparse
import datetime
import html
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Belasting-Test-2026!"  # noqa: S105 — accounts of a throwaway load database
HOME_START = "home-start-en-home-start-plus"
HOME_START_TRAINING = "Home-Start training"
HOUR_VALUES = ["0,25", "0,5", "0,75", "1", "1,25", "1,5", "2"]
# Ages the intake clients get; the seed offers only products that fit both ends.
YOUNGEST, OLDEST = 30, 60


# --- HTML forms, read the way a browser submits them ---------------------------------


@dataclass
class Form:
    attrs: dict
    fields: list = field(default_factory=list)  # [(name, value)] a browser would send
    options: dict = field(default_factory=lambda: defaultdict(list))  # select → values

    @property
    def action(self) -> str:
        return self.attrs.get("action") or ""

    def data(self, **overrides) -> list[tuple[str, str]]:
        """The submitted pairs with `overrides` replacing (a list: repeating) a field."""
        pairs = [(name, value) for name, value in self.fields if name not in overrides]
        for name, value in overrides.items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, item))
        return pairs

    def value(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self.form = Form(attrs=attrs)
            self.forms.append(self.form)
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                self.form.options[name].append(attrs.get("value", "on"))
                if "checked" not in attrs:
                    return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.form.fields.append((name, attrs.get("value", default)))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.form.options[self.select].append(value)
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs and not self.select_chosen:
                self.form.fields.append((self.select, value))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.form is not None:
            if not self.select_chosen and self.select_first is not None:
                self.form.fields.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea and self.form is not None:
            self.form.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_of(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def find_form(page: str, *, action_contains: str = "", form_id: str = "", testid: str = ""):
    for form in forms_of(page):
        if form_id and form.attrs.get("id") != form_id:
            continue
        if testid and form.attrs.get("data-testid") != testid:
            continue
        if action_contains not in form.action:
            continue
        return form
    return None


def page_errors(page: str) -> str:
    """The Dutch messages on a refused form, shortened, for the report."""
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|alert-danger|alert-warning|text-danger)[^"]*"[^>]*>(.*?)</',
        page,
        re.S,
    )
    text = " | ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in found)
    return text[:300] or "(geen foutmelding gevonden)"


# --- the simulated browser -------------------------------------------------------------


class TransportError(Exception):
    pass


@dataclass
class Response:
    status: int
    location: str
    text: str


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.refused: dict[str, list[str]] = defaultdict(list)
        self.refused_pages: dict[str, str] = {}
        self.acknowledged: list[dict] = []
        self.problems: list[str] = []

    def record(self, name: str, status: int, seconds: float) -> None:
        with self.lock:
            self.timings[name].append(seconds)
            self.statuses[name][status] += 1

    def refuse(self, name: str, page: str) -> None:
        with self.lock:
            self.refused[name].append(page_errors(page) if page else "")
            self.refused_pages.setdefault(name, page)

    def acknowledge(self, **record) -> None:
        with self.lock:
            self.acknowledged.append(record)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)


class Browser:
    """One user's browser: its own cookies, one connection per request (gunicorn's sync
    workers close the connection after each response anyway)."""

    def __init__(self, base_url: str, stats: Stats, timeout: float):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.stats, self.timeout = stats, timeout
        self.cookies: dict[str, str] = {}

    def request(self, name, method, path, data=None, params=None) -> Response:
        if params:
            path = f"{path}?{urllib.parse.urlencode(params, doseq=True)}"
        headers = {"User-Agent": "meerwaarde-load-run", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(name, 0, time.perf_counter() - started)
            self.stats.problem(f"{name}: {method} {path}: {error!r}")
            raise TransportError(str(error)) from error
        finally:
            connection.close()
        self.stats.record(name, raw.status, time.perf_counter() - started)
        for header in raw.headers.get_all("Set-Cookie") or []:
            for morsel in SimpleCookie(header).values():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[morsel.key] = morsel.value
                else:
                    self.cookies.pop(morsel.key, None)
        if raw.status >= 500:
            self.stats.problem(f"{name}: {method} {path} → {raw.status}")
        location = urllib.parse.urlsplit(raw.headers.get("Location", "")).path
        return Response(raw.status, location, text)

    def get(self, name, path, params=None) -> Response:
        return self.request(name, "GET", path, params=params)

    def post(self, name, path, data) -> Response:
        return self.request(name, "POST", path, data=data)


class NotLoggedIn(Exception):
    pass


# --- the users -------------------------------------------------------------------------


class SimulatedUser:
    kind = ""

    def __init__(self, *, username, plan, base_url, stats, deadline, think, timeout, rng):
        self.username, self.plan, self.stats = username, plan, stats
        self.deadline, self.think, self.rng = deadline, think, rng
        self.browser = Browser(base_url, stats, timeout)
        self.logged_in = False

    def expect(self, response: Response, name: str, *, status=200) -> Response:
        if response.status == 302 and response.location.startswith("/account/inloggen/"):
            self.logged_in = False
            raise NotLoggedIn
        if response.status != status:
            self.stats.problem(f"{self.username} {name}: {response.status} {response.location}")
            raise NotLoggedIn if response.status in (401, 403) else TransportError(name)
        return response

    def login(self) -> None:
        page = self.expect(self.browser.get("inloggen: pagina", "/account/inloggen/"), "login")
        form = find_form(page.text)
        response = self.browser.post(
            "inloggen: versturen",
            "/account/inloggen/",
            form.data(username=self.username, password=PASSWORD),
        )
        if response.status != 302:
            self.stats.problem(f"{self.username}: inloggen mislukt ({response.status})")
            raise TransportError("login")
        self.logged_in = True

    def pause(self) -> None:
        low, high = self.think
        time.sleep(min(self.rng.uniform(low, high), max(0.0, self.deadline - time.monotonic())))

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            try:
                if not self.logged_in:
                    self.login()
                    self.pause()
                    continue
                self.iteration()
            except NotLoggedIn:
                self.logged_in = False
            except TransportError:
                time.sleep(0.5)
            self.pause()

    def marker(self, what: str) -> str:
        return f"{self.plan['run_id']} {what} {uuid.uuid4().hex}"


class SocialWorker(SimulatedUser):
    kind = "sociaal_werker"

    def iteration(self) -> None:
        choice = self.rng.random()
        if choice < 0.6:
            self.register_hours()
        elif choice < 0.85:
            self.register_intake()
        else:
            self.expect(self.browser.get("trajecten: mijn werk", "/trajecten/mijn-werk/"), "my")

    def register_hours(self) -> None:
        page = self.expect(self.browser.get("uren: weekoverzicht", "/uren/"), "week")
        form = find_form(page.text, testid="hours-form")
        self.pause()
        products = [value for value in form.options["product"] if value]
        day = datetime.date.today() - datetime.timedelta(days=self.rng.randint(0, 60))
        note = self.marker("uren")
        hours = self.rng.choice(HOUR_VALUES)
        response = self.browser.post(
            "uren: opslaan",
            form.action,
            form.data(
                date=day.isoformat(),
                product=self.rng.choice(products),
                hours=hours,
                note=note,
                case="",
            ),
        )
        if response.status == 302 and response.location.startswith("/uren/"):
            self.stats.acknowledge(kind="hours", marker=note, username=self.username, hours=hours)
            self.expect(self.browser.get("uren: weekoverzicht", response.location), "week")
        elif response.status == 200:
            self.stats.refuse("uren: opslaan", response.text)
        else:
            self.expect(response, "uren: opslaan")

    def register_intake(self) -> None:
        page = self.expect(self.browser.get("aanmelding: formulier", "/trajecten/aanmelding/"), "a")
        form = find_form(page.text, form_id="intake-form")
        product = str(self.rng.choice(self.plan["intake_products"]))
        today = datetime.date.today()
        birth_date = today - datetime.timedelta(
            days=self.rng.randint(YOUNGEST * 366, OLDEST * 365 - 1)
        )
        criteria_page = self.expect(
            self.browser.get(
                "aanmelding: criteria",
                "/trajecten/aanmelding/criteria/",
                params={
                    "product": product,
                    "birth_date": birth_date.isoformat(),
                    "lives_in_haarlemmermeer": "on",
                },
            ),
            "criteria",
        )
        # The worker ticks every criterion the checklist (an htmx fragment) shows.
        criteria = forms_of(f"<form>{criteria_page.text}</form>")[0].options["confirmed_criteria"]
        self.pause()
        question = self.marker("aanmelding")
        overrides = {
            "first_name": self.rng.choice(FIRST_NAMES),
            "last_name": f"{self.rng.choice(LAST_NAMES)}-{secrets.token_hex(3)}",
            "birth_date": birth_date.isoformat(),
            "product": product,
            "referral_source": self.rng.choice([v for v in form.options["referral_source"] if v]),
            "question": question,
            "confirmed_criteria": criteria,
            "consent_registration": "on",
        }
        response = self.browser.post(
            "aanmelding: opslaan", "/trajecten/aanmelding/", form.data(**overrides)
        )
        if response.status == 200 and "mogelijk al bekend" in response.text:
            # A possible duplicate: the worker confirms it is another person, as on the page.
            again = find_form(response.text, form_id="intake-form")
            response = self.browser.post(
                "aanmelding: opslaan",
                "/trajecten/aanmelding/",
                again.data(confirm_new_client="on", confirmed_criteria=criteria),
            )
        if response.status == 302 and response.location.startswith("/trajecten/"):
            case_id = int(response.location.strip("/").split("/")[-1])
            self.stats.acknowledge(kind="intake", marker=question, case_id=case_id)
            self.expect(self.browser.get("traject: pagina", response.location), "case")
        elif response.status == 200:
            self.stats.refuse("aanmelding: opslaan", response.text)
        else:
            self.expect(response, "aanmelding: opslaan")


class Coordinator(SimulatedUser):
    kind = "coordinator"

    def iteration(self) -> None:
        overview = self.expect(self.browser.get("matching: overzicht", "/matching/"), "overview")
        case_ids = sorted(set(re.findall(r'href="/matching/traject/(\d+)/', overview.text)))
        if not case_ids:
            self.stats.problem(f"{self.username}: geen wachtende trajecten in het overzicht")
            return
        self.pause()
        case_path = f"/matching/traject/{self.rng.choice(case_ids)}/"
        page = self.expect(self.browser.get("matching: traject en suggesties", case_path), "case")
        proposals = [form for form in forms_of(page.text) if "/voorstellen/" in form.action]
        if not proposals:
            return
        self.pause()
        form = self.rng.choice(proposals[:3])
        volunteer = int(form.value("volunteer"))
        response = self.browser.post("matching: voorstellen", form.action, form.data())
        if response.status == 302 and response.location.startswith("/matching/koppeling/"):
            match_id = int(response.location.strip("/").split("/")[-1])
            case_id = int(case_path.strip("/").split("/")[-1])
            self.stats.acknowledge(
                kind="match", match_id=match_id, case_id=case_id, volunteer_id=volunteer
            )
            match_page = self.expect(
                self.browser.get("matching: koppeling", response.location), "match"
            )
            self.change_status(match_id, match_page.text)
        elif response.status == 302:
            # Back on the case page with the reason (another coordinator took the last place).
            back = self.expect(
                self.browser.get("matching: traject en suggesties", response.location), "case"
            )
            self.stats.refuse("matching: voorstellen", back.text)
        else:
            self.expect(response, "matching: voorstellen")

    def change_status(self, match_id: int, page: str) -> None:
        """Half of the proposals do not work out (which frees the place again); some go on
        to the introduction."""
        choice = self.rng.random()
        if choice >= 0.7:
            return
        to_status, reason = (
            ("afgebroken", "Klikte niet bij de kennismaking (belastingtest).")
            if choice < 0.5
            else ("kennismaking", "")
        )
        form = find_form(page, action_contains="/status/")
        self.pause()
        response = self.browser.post(
            "matching: status wijzigen", form.action, form.data(to_status=to_status, reason=reason)
        )
        if response.status == 302:
            self.stats.acknowledge(kind="match_status", match_id=match_id, status=to_status)
        elif response.status == 400:
            self.stats.refuse("matching: status wijzigen", response.text)
        else:
            self.expect(response, "matching: status wijzigen")


class Manager(SimulatedUser):
    kind = "manager"

    def iteration(self) -> None:
        page = self.expect(self.browser.get("rapportage: dashboard", "/rapportage/"), "dash")
        periods = [
            form.options["periode"] for form in forms_of(page.text) if form.options.get("periode")
        ]
        self.pause()
        if periods and periods[0]:
            self.expect(
                self.browser.get(
                    "rapportage: andere periode",
                    "/rapportage/",
                    params={"periode": self.rng.choice(periods[0])},
                ),
                "period",
            )
        if self.rng.random() < 0.2:
            self.pause()
            self.expect(self.browser.get("startpagina", "/"), "home")


FIRST_NAMES = ["Anna", "Bram", "Fatima", "Henk", "Ilse", "Jan", "Karin", "Mohamed", "Noor", "Piet"]
LAST_NAMES = ["Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Yilmaz", "Bos"]


# --- seed, drive, check ----------------------------------------------------------------


def role_counts(users: int) -> dict[str, int]:
    coordinators = max(1, round(users * 0.2))
    managers = max(1, round(users * 0.2))
    return {
        "sociaal_werker": max(1, users - coordinators - managers),
        "coordinator": coordinators,
        "manager": managers,
    }


def seed(users: int, run_id: str) -> dict:
    """Accounts per role with the known password, teams, waiting Home-Start cases and
    screened volunteers with free places for the coordinators."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from cases.choices import CaseStatus
    from catalogue.eligibility import Person, check_eligibility
    from catalogue.models import Product
    from meerwaarde.accounts.models import Role, Team, User
    from tests.cases_factories import CaseFactory, ClientFactory
    from tests.volunteers_factories import VolunteerFactory
    from volunteers.models import TrainingType, VolunteerTraining

    counts = role_counts(users)
    today = datetime.date.today()
    password = make_password(PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    usernames: dict[str, list[str]] = {}
    with transaction.atomic():
        teams = [
            Team.objects.get_or_create(name=f"Belastingtest team {n + 1}")[0]
            for n in range(max(1, counts["sociaal_werker"] // 5))
        ]
        for role, prefix in (
            (Role.SOCIAL_WORKER, "lt_sw"),
            (Role.COORDINATOR, "lt_co"),
            (Role.MANAGER, "lt_ma"),
        ):
            names = [f"{prefix}{n + 1:03d}" for n in range(counts[role])]
            usernames[role] = names
            for n, username in enumerate(names):
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={
                        "role": role,
                        "password": password,
                        "first_name": username,
                        "last_name": "Belastingtest",
                        "email": f"{username}@meerwaarde.invalid",
                    },
                )
                if role == Role.SOCIAL_WORKER:
                    user.teams.set([teams[n % len(teams)]])
        home_start = Product.objects.get(slug=HOME_START)
        coordinators = User.objects.filter(username__in=usernames[Role.COORDINATOR])
        home_start.coordinators.add(*coordinators)
        workers = list(User.objects.filter(username__in=usernames[Role.SOCIAL_WORKER]))
        training = TrainingType.objects.get(name=HOME_START_TRAINING)
        for n in range(max(10, 6 * counts["coordinator"])):
            worker = workers[n % len(workers)]
            CaseFactory(
                client=ClientFactory(team=worker.teams.first(), created_by=worker),
                product=home_start,
                responsible_worker=worker,
                status=CaseStatus.WAITING_LIST,
                waiting_since=today - datetime.timedelta(weeks=2 + n % 20),
                registered_on=today - datetime.timedelta(days=200),
            )
        for _ in range(max(20, 4 * counts["coordinator"])):
            volunteer = VolunteerFactory(
                products=[home_start], max_matches=20, created_by=coordinators[0]
            )
            VolunteerTraining.objects.create(
                volunteer=volunteer,
                training=training,
                completed_on=today - datetime.timedelta(days=60),
            )
    fitting = []
    for product in Product.objects.filter(is_active=True).order_by("pk"):
        people = [
            Person(
                birth_date=today.replace(year=today.year - age, day=1),
                lives_in_haarlemmermeer=True,
            )
            for age in (YOUNGEST, OLDEST)
        ]
        if all(check_eligibility(product, p, reference_date=today).fits for p in people):
            fitting.append(product.pk)
    if not fitting:
        raise SystemExit("Geen product past bij de aanmeldingen van de belastingtest.")
    return {"run_id": run_id, "users": usernames, "intake_products": fitting}


def drive(*, plan, base_url, duration, think, timeout, seed_value) -> tuple[Stats, float]:
    stats = Stats()
    kinds = {"sociaal_werker": SocialWorker, "coordinator": Coordinator, "manager": Manager}
    people = [
        (kinds[role], username) for role, names in plan["users"].items() for username in names
    ]
    random.Random(seed_value).shuffle(people)
    started = time.monotonic()
    deadline = started + duration
    ramp = min(10.0, duration / 4)
    threads = []
    for n, (kind, username) in enumerate(people):
        user = kind(
            username=username,
            plan=plan,
            base_url=base_url,
            stats=stats,
            deadline=deadline,
            think=think,
            timeout=timeout,
            rng=random.Random(f"{seed_value}-{username}"),
        )
        delay = ramp * n / max(1, len(people))

        def start(user=user, delay=delay):
            time.sleep(delay)
            user.run()

        thread = threading.Thread(target=start, name=username, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=duration + timeout + 30)
    return stats, time.monotonic() - started


def check(stats: Stats, run_id: str) -> dict:
    """Every acknowledged registration in the database exactly once."""
    from django.db.models import Count

    from cases.models import Case, HourRegistration
    from volunteers.models import Match

    missing, duplicated, wrong = [], [], []

    def judge(label, count, ok=True):
        if count == 0:
            missing.append(label)
        elif count > 1:
            duplicated.append(label)
        elif not ok:
            wrong.append(label)

    acks = defaultdict(list)
    for record in stats.acknowledged:
        acks[record["kind"]].append(record)

    intakes = dict(
        Case.objects.filter(question__startswith=run_id)
        .values("question")
        .annotate(n=Count("id"))
        .values_list("question", "n")
    )
    case_ids = dict(Case.objects.filter(question__startswith=run_id).values_list("question", "id"))
    for record in acks["intake"]:
        judge(
            f"aanmelding {record['case_id']}",
            intakes.get(record["marker"], 0),
            case_ids.get(record["marker"]) == record["case_id"],
        )
    hours = {
        row["note"]: row
        for row in HourRegistration.objects.filter(note__startswith=run_id)
        .values("note", "worker__username", "hours")
        .annotate(n=Count("id"))
    }
    for record in acks["hours"]:
        row = hours.get(record["marker"])
        judge(
            f"uren {record['marker']}",
            row["n"] if row else 0,
            bool(row)
            and row["worker__username"] == record["username"]
            and row["hours"] == Decimal(record["hours"].replace(",", ".")),
        )
    matches = {m.pk: m for m in Match.objects.all()}
    pair_counts = {
        (row["case_id"], row["volunteer_id"]): row["n"]
        for row in Match.objects.values("case_id", "volunteer_id").annotate(n=Count("id"))
    }
    for record in acks["match"]:
        match = matches.get(record["match_id"])
        judge(
            f"koppeling {record['match_id']}",
            pair_counts.get((record["case_id"], record["volunteer_id"]), 0) if match else 0,
            match is not None
            and (match.case_id, match.volunteer_id) == (record["case_id"], record["volunteer_id"]),
        )
    for record in acks["match_status"]:
        match = matches.get(record["match_id"])
        judge(
            f"status van koppeling {record['match_id']}",
            1 if match else 0,
            match is not None and match.status == record["status"],
        )
    saved_unacknowledged = (len(intakes) - len(acks["intake"])) + (len(hours) - len(acks["hours"]))
    return {
        "acknowledged": {kind: len(records) for kind, records in sorted(acks.items())},
        "missing": missing,
        "duplicated": duplicated,
        "wrong": wrong,
        "saved_without_acknowledgement": saved_unacknowledged,
    }


# --- processes -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_environment(args) -> dict:
    """The settings of the load run: production code paths, plain HTTP on localhost and no
    second factor (each simulated user logs in with the password only)."""
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        DEMO_MODE="false",
        REQUIRE_2FA="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        WHITENOISE_USE_FINDERS="true",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="meerwaarde.settings",
    )
    env.setdefault("SECRET_KEY", "load-run-" + secrets.token_urlsafe(40))
    if args.broker_db is not None:
        broker = urllib.parse.urlsplit(env["CELERY_BROKER_URL"])
        env["CELERY_BROKER_URL"] = broker._replace(path=f"/{args.broker_db}").geturl()
        env.pop("CELERY_RESULT_BACKEND", None)
    return env


def create_database(url: str) -> tuple[str, str]:
    """A new, empty database on the server of `url`; returns its URL and name."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"meerwaarde_load_{secrets.token_hex(4)}"
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl(), name


def drop_database(url: str, name: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for_health(base_url: str, process, seconds: float = 60) -> None:
    parsed = urllib.parse.urlsplit(base_url)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopte tijdens het starten.")
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn werd niet gezond binnen de tijd.")


def stop(process, seconds: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- report ----------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(stats: Stats, elapsed: float, verdict: dict, args) -> dict:
    rows = []
    for name in sorted(stats.timings):
        timings = stats.timings[name]
        statuses = stats.statuses[name]
        rows.append(
            {
                "request": name,
                "count": len(timings),
                "p50_ms": round(percentile(timings, 0.5) * 1000),
                "p95_ms": round(percentile(timings, 0.95) * 1000),
                "max_ms": round(max(timings) * 1000),
                "5xx": sum(n for s, n in statuses.items() if s >= 500),
                "4xx": sum(n for s, n in statuses.items() if 400 <= s < 500),
                "transport_errors": statuses.get(0, 0),
                "refused": len(stats.refused.get(name, [])),
            }
        )
    total = sum(row["count"] for row in rows)
    every = [t for timings in stats.timings.values() for t in timings]
    return {
        "users": args.users,
        "roles": role_counts(args.users),
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 1),
        "requests": total,
        "throughput_rps": round(total / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(every, 0.5) * 1000) if every else 0,
        "p95_ms": round(percentile(every, 0.95) * 1000) if every else 0,
        "errors_5xx": sum(row["5xx"] for row in rows),
        "errors_4xx": sum(row["4xx"] for row in rows),
        "transport_errors": sum(row["transport_errors"] for row in rows),
        "per_request": rows,
        "refusals": {name: reasons[:3] for name, reasons in stats.refused.items()},
        "problems": stats.problems[:20],
        **verdict,
    }


def markdown(result: dict) -> str:
    lines = [
        f"{result['users']} gebruikers ({result['roles']['sociaal_werker']} sociaal werkers, "
        f"{result['roles']['coordinator']} coördinatoren, {result['roles']['manager']} managers), "
        f"{result['duration_s']} s: {result['requests']} verzoeken, "
        f"{result['throughput_rps']} verzoeken/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms; 5xx: {result['errors_5xx']}, 4xx: {result['errors_4xx']}, "
        f"verbindingsfouten: {result['transport_errors']}.",
        "",
        "| verzoek | aantal | p50 (ms) | p95 (ms) | max (ms) | 5xx | geweigerd |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["per_request"]:
        lines.append(
            f"| {row['request']} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['max_ms']} | {row['5xx']} | {row['refused']} |"
        )
    if "machine" in result:
        machine = result["machine"]
        lines += [
            "",
            f"Machine: {machine['cpus']} cores, belasting (load average) "
            f"{machine['load_average_before']} voor en {machine['load_average_after']} na de run.",
        ]
    acknowledged = ", ".join(f"{k}: {v}" for k, v in result["acknowledged"].items())
    lines += [
        "",
        f"Bevestigde registraties: {acknowledged}. Ontbrekend: {len(result['missing'])}, "
        f"dubbel: {len(result['duplicated'])}, afwijkend: {len(result['wrong'])}.",
    ]
    return "\n".join(lines)


def failures(result: dict, args) -> list[str]:
    reasons = []
    if result["errors_5xx"]:
        reasons.append(f"{result['errors_5xx']} antwoorden met een 5xx-status")
    if result["transport_errors"]:
        reasons.append(f"{result['transport_errors']} verzoeken zonder antwoord")
    if result["errors_4xx"]:
        reasons.append(f"{result['errors_4xx']} onverwachte 4xx-antwoorden")
    for key, label in (
        ("missing", "ontbreken"),
        ("duplicated", "staan dubbel"),
        ("wrong", "wijken af"),
    ):
        if result[key]:
            reasons.append(f"{len(result[key])} bevestigde registraties {label}: {result[key][:5]}")
    for kind in ("intake", "hours", "match"):
        if result["acknowledged"].get(kind, 0) < args.min_per_kind:
            reasons.append(f"te weinig bevestigde registraties van soort {kind}")
    return reasons


def run(args) -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL moet naar PostgreSQL wijzen.")
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("CELERY_BROKER_URL (Redis) is nodig: de roll-ups lopen via een worker.")
    env = load_environment(args)
    database_name = None
    if args.fresh_database:
        env["DATABASE_URL"], database_name = create_database(env["DATABASE_URL"])
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    logs = Path(tempfile.mkdtemp(prefix="meerwaarde-load-"))
    server = worker = None
    try:
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        step = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        run_id = f"lt-{uuid.uuid4().hex[:10]}"
        plan = seed(args.users, run_id)
        connections.close_all()
        print(f"== database klaar in {time.monotonic() - step:.0f} s", flush=True)

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "meerwaarde.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                "--timeout", "60", "--graceful-timeout", "10", "--no-control-socket",
            ],
            env=env, cwd=ROOT, stdout=open(logs / "gunicorn.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        )  # fmt: skip
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "meerwaarde", "worker",
                "--loglevel=WARNING", f"--concurrency={args.celery_concurrency}",
                "--without-gossip", "--without-mingle", "-n", f"load-{run_id}@%h",
            ],
            env=env, cwd=ROOT, stdout=open(logs / "celery.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        )  # fmt: skip
        wait_for_health(base_url, server)
        print(
            f"== {args.users} gebruikers, {args.duration} s tegen {base_url} "
            f"(gunicorn {args.workers} workers, Celery-worker {args.celery_concurrency})",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        stats, elapsed = drive(
            plan=plan,
            base_url=base_url,
            duration=args.duration,
            think=(args.think_min, args.think_max),
            timeout=args.timeout,
            seed_value=args.seed,
        )
        stop(server)
        stop(worker)
        verdict = check(stats, run_id)
        connections.close_all()
        result = summary(stats, elapsed, verdict, args)
        result["machine"] = {
            "cpus": os.cpu_count(),
            "load_average_before": round(load_before, 1),
            "load_average_after": round(os.getloadavg()[0], 1),
        }
        print(markdown(result))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        if result["refusals"]:
            print(f"Geweigerde formulieren (voorbeelden): {result['refusals']}")
        reasons = failures(result, args)
        if result["problems"]:
            print("Problemen:", *result["problems"], sep="\n  ")
        if reasons:
            print("BELASTINGTEST MISLUKT:", *reasons, sep="\n  ")
            for name, page in stats.refused_pages.items():
                slug = re.sub(r"\W+", "-", name)
                (logs / f"geweigerd-{slug}.html").write_text(page)
            print(f"Logboeken en de eerste geweigerde pagina van elke soort: {logs}")
            for log in ("gunicorn.log", "celery.log"):
                tail = (logs / log).read_text(errors="replace").splitlines()[-30:]
                print(f"-- laatste regels van {log}:", *tail, sep="\n")
            return 1
        print("Belastingtest geslaagd: geen 5xx, elke bevestigde registratie precies één keer.")
        shutil.rmtree(logs, ignore_errors=True)
        return 0
    finally:
        stop(server)
        stop(worker)
        if database_name and not args.keep_database:
            from django.db import connections

            connections.close_all()
            drop_database(env["DATABASE_URL"], database_name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("run", help="migrate, seed, start gunicorn + Celery, drive, check")
    cmd.add_argument("--users", type=int, default=50)
    cmd.add_argument("--duration", type=float, default=180, help="seconds")
    cmd.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    cmd.add_argument("--celery-concurrency", type=int, default=2)
    cmd.add_argument("--think-min", type=float, default=0.5, help="seconds between requests")
    cmd.add_argument("--think-max", type=float, default=1.5)
    cmd.add_argument("--timeout", type=float, default=60, help="seconds per request")
    cmd.add_argument("--seed", default="meerwaarde")
    cmd.add_argument("--min-per-kind", type=int, default=1)
    cmd.add_argument("--fresh-database", action="store_true")
    cmd.add_argument("--keep-database", action="store_true")
    cmd.add_argument("--broker-db", type=int, default=None, help="Redis database number")
    cmd.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
