"""Redis (the Celery broker) stopped for real: intakes and hours are still saved and the user
sees the normal success, without waiting; when Redis is back, what beat sends every two
minutes brings the indicator table up to date — equal to a clean run's."""

import os
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases.choices import HourKind
from cases.models import Case, HourRegistration
from meerwaarde.accounts.models import Role
from meerwaarde.celery import app
from meerwaarde.forms_once import FIELD_NAME
from meerwaarde.outbox.models import Change
from reporting import services
from reporting.models import DirtyPeriod, IndicatorValue
from reporting.periods import periods_containing
from tests.factories import TeamFactory, UserFactory

from .conftest import hidden_value

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REQUEST_BUDGET_SECONDS = 10


def redis_port() -> str:
    return os.environ["TEST_REDIS_PORT"]


def redis_is_up() -> bool:
    ping = subprocess.run(
        ["redis-cli", "-p", redis_port(), "ping"], capture_output=True, text=True, timeout=5
    )
    return ping.stdout.strip() == "PONG"


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-p", redis_port(), "shutdown", "nosave"], timeout=10)
    wait_for(lambda: not redis_is_up(), timeout=10)


def start_redis() -> None:
    """The command line of scripts/test.sh: same port, pid file and log, so its clean-up
    still stops this server."""
    work = Path(os.environ["TEST_PG_DATA"]).parent
    subprocess.run(
        ["redis-server", "--port", redis_port(), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(work / "redis.pid"),
         "--logfile", str(work / "redis.log"), "--dir", str(work)],
        check=True, timeout=10,
    )  # fmt: skip
    wait_for(redis_is_up, timeout=10)


def wait_for(condition, *, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def total(code: str, key: str, field: str = "value") -> Decimal | None:
    found = IndicatorValue.objects.filter(
        indicator__code=code, period__key=key, product=None, area=None, area_unknown=False
    ).first()
    return None if found is None else getattr(found, field)


def table(year: int) -> list[tuple]:
    return sorted(
        IndicatorValue.objects.with_status().filter(period__year=year).values_list(
            "indicator__code", "period__key", "product_id", "area_id", "area_unknown",
            "value", "numerator", "denominator", "status", "suppressed",
        ),
        key=repr,
    )  # fmt: skip


def timed_post(browser, url: str, data: dict):
    started = time.monotonic()
    response = browser.post(url, data)
    return response, time.monotonic() - started


def test_with_redis_stopped_registrations_are_saved_and_the_rollup_catches_up(
    celery_worker_process, catalogue, browser
):
    team = TeamFactory()
    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[team])
    today = timezone.localdate()
    month = periods_containing(today)[0].key
    product = catalogue["1-5-gesprekken"]
    services.process_dirty_periods()
    assert not DirtyPeriod.objects.exists()
    hours_before = total("uren_medewerkers", month) or Decimal("0")
    page = browser(worker)
    hours_token = hidden_value(page.get(reverse("hours:add")).content.decode(), FIELD_NAME)
    intake_token = hidden_value(page.get(reverse("cases:intake")).content.decode(), FIELD_NAME)

    stop_redis()
    try:
        hours, hours_seconds = timed_post(
            page,
            reverse("hours:add"),
            {"date": today.isoformat(), "product": product.pk, "case": "",
             "kind": HourKind.DIRECT, "hours": "2,75", "note": "", FIELD_NAME: hours_token},
        )  # fmt: skip
        intake, intake_seconds = timed_post(
            page,
            reverse("cases:intake"),
            {"first_name": "Samira", "last_name": "Bouzid", "birth_date": "1984-03-14",
             "postcode": "2132 AB", "house_number": "12", "lives_in_haarlemmermeer": "on",
             "product": product.pk, "confirmed_criteria": list(product.judgement_criteria),
             "referral_source": "huisarts", "question": "Schulden.", "life_domains": ["financien"],
             "team": team.pk, "responsible_worker": worker.pk, "start_status": "intake",
             "registered_on": today.isoformat(), "consent_registration": "on",
             FIELD_NAME: intake_token},
        )  # fmt: skip

        # Saved, the normal success, no error, and no waiting on the missing broker.
        assert hours.status_code == 302 and intake.status_code == 302
        shown = [(m.level_tag, str(m)) for m in get_messages(intake.wsgi_request)]
        assert shown == [
            ("success", f"2,75 uur geregistreerd op {today:%d-%m-%Y}."),
            ("success", "De aanmelding is opgeslagen."),
        ]
        assert hours_seconds < REQUEST_BUDGET_SECONDS and intake_seconds < REQUEST_BUDGET_SECONDS
        assert HourRegistration.objects.filter(worker=worker, hours=Decimal("2.75")).count() == 1
        case = Case.objects.get(responsible_worker=worker)
        assert intake.url == reverse("cases:case_detail", args=[case.pk])
        # The roll-up was missed: the changes wait in the outbox, the indicators are behind.
        assert Change.objects.filter(
            source="cases.HourRegistration", month=today.replace(day=1)
        ).exists()
        time.sleep(1)
        assert (total("uren_medewerkers", month) or Decimal("0")) == hours_before
    finally:
        if not redis_is_up():
            start_redis()

    # The worker and this process's connection pool find Redis again by themselves.
    node = f"test-{os.getpid()}@localhost"
    wait_for(lambda: app.control.ping(destination=[node], timeout=1.0), timeout=90)
    from reporting.tasks import process_dirty_periods

    process_dirty_periods.delay()  # what beat sends every two minutes

    wait_for(lambda: not Change.objects.exists() and not DirtyPeriod.objects.exists(), timeout=60)
    assert total("uren_medewerkers", month) == hours_before + Decimal("2.75")
    assert total("intakes_nieuw", month, "numerator") >= 1
    caught_up = table(today.year)
    services.rollup([period.key for period in periods_containing(today)])
    assert table(today.year) == caught_up  # equal to a clean run's


def test_the_worker_still_runs_tasks_after_the_redis_restart(celery_worker_process, catalogue):
    """Later tests depend on it: the session's worker and broker connection survived."""
    from reporting.tasks import process_dirty_periods

    assert redis_is_up()
    result = process_dirty_periods.apply_async()
    assert isinstance(result.get(timeout=30), int)
