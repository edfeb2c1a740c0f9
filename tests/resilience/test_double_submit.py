"""A double click on "Opslaan" posts the same form twice: hours and intakes are saved once,
and the second post lands on what the first saved (meerwaarde/forms_once.py)."""

import datetime
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse

from cases.choices import HourKind
from cases.models import Case, Client, HourRegistration
from meerwaarde.accounts.models import Role
from meerwaarde.forms_once import FIELD_NAME
from tests.factories import TeamFactory, UserFactory

from .conftest import hidden_value

HOURS_URL = reverse("hours:add")
INTAKE_URL = reverse("cases:intake")
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Hoofddorp")


@pytest.fixture
def worker(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team])


def hours_data(product, token: str) -> dict:
    return {
        "date": YESTERDAY.isoformat(),
        "product": product.pk,
        "case": "",
        "kind": HourKind.DIRECT,
        "hours": "1,5",
        "note": "Huisbezoek",
        FIELD_NAME: token,
    }


def intake_data(catalogue, team, worker, token: str) -> dict:
    product = catalogue["1-5-gesprekken"]
    return {
        "first_name": "Samira",
        "last_name": "Bouzid",
        "birth_date": "1984-03-14",
        "postcode": "2132 AB",
        "house_number": "12",
        "street": "Kruisweg",
        "city": "Hoofddorp",
        "lives_in_haarlemmermeer": "on",
        "product": product.pk,
        "confirmed_criteria": list(product.judgement_criteria),
        "referral_source": "huisarts",
        "question": "Zorgen over schulden.",
        "life_domains": ["financien"],
        "team": team.pk,
        "responsible_worker": worker.pk,
        "start_status": "intake",
        "registered_on": datetime.date.today().isoformat(),
        "consent_registration": "on",
        FIELD_NAME: token,
    }


def messages_of(response) -> list[str]:
    """The messages the page after `response` shows (the first post's, unread, included)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_hours_posted_twice_with_the_same_token_are_saved_once(browser, worker, catalogue):
    page = browser(worker)
    token = hidden_value(page.get(HOURS_URL).content.decode(), FIELD_NAME)
    data = hours_data(catalogue["1-5-gesprekken"], token)

    first = page.post(HOURS_URL, data)
    second = page.post(HOURS_URL, data)

    assert HourRegistration.objects.filter(worker=worker).count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url  # back to the same week page
    assert messages_of(second)[-1] == "Deze uren waren al geregistreerd."


@pytest.mark.django_db
def test_each_rendered_hours_form_saves_its_own_record(browser, worker, catalogue):
    """Two hours of the same kind on the same day are legitimate: two forms, two records."""
    page = browser(worker)
    product = catalogue["1-5-gesprekken"]
    for _ in range(2):
        token = hidden_value(page.get(HOURS_URL).content.decode(), FIELD_NAME)
        assert page.post(HOURS_URL, hours_data(product, token)).status_code == 302
    assert HourRegistration.objects.filter(worker=worker).count() == 2


@pytest.mark.django_db
def test_an_invalid_hours_post_keeps_its_token_for_the_corrected_one(browser, worker, catalogue):
    page = browser(worker)
    token = hidden_value(page.get(HOURS_URL).content.decode(), FIELD_NAME)
    data = hours_data(catalogue["1-5-gesprekken"], token)

    rejected = page.post(HOURS_URL, {**data, "hours": "-3"})
    assert rejected.status_code == 200 and not HourRegistration.objects.exists()
    assert hidden_value(rejected.content.decode(), FIELD_NAME) == token
    assert page.post(HOURS_URL, data).status_code == 302
    assert page.post(HOURS_URL, data).status_code == 302
    assert HourRegistration.objects.count() == 1


@pytest.mark.django_db
def test_intake_posted_twice_with_the_same_token_creates_one_client_and_case(
    browser, worker, team, catalogue
):
    page = browser(worker)
    token = hidden_value(page.get(INTAKE_URL).content.decode(), FIELD_NAME)
    data = intake_data(catalogue, team, worker, token)

    first = page.post(INTAKE_URL, data)
    # Without the token the second post would stop at "possibly a duplicate"; with it the
    # worker lands on the case the first post created.
    second = page.post(INTAKE_URL, data)

    case = Case.objects.get()
    assert Client.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("cases:case_detail", args=[case.pk])
    assert messages_of(second)[-1] == "Deze aanmelding was al opgeslagen."


@pytest.mark.django_db
def test_a_post_without_token_is_saved_as_before(browser, worker, catalogue):
    """Old open pages and scripts have no token: not refused, just not guarded."""
    page = browser(worker)
    data = hours_data(catalogue["1-5-gesprekken"], "")
    del data[FIELD_NAME]
    assert page.post(HOURS_URL, data).status_code == 302
    assert HourRegistration.objects.count() == 1


def post_at_the_same_time(first: Browser, url: str, data: dict, *, count: int = 2) -> list:
    """`count` tabs of one session (same cookies) post `data` at the same moment."""
    tabs = [first]
    for _ in range(count - 1):
        tab = Browser()
        tab.cookies = first.cookies
        tabs.append(tab)
    barrier = threading.Barrier(count)
    responses, errors = [None] * count, []

    def post(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = tabs[index].post(url, data)
        except Exception as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def slowed(monkeypatch, module, name: str, seconds: float = 0.5) -> None:
    """Makes the create take a while, so the other request arrives while it is uncommitted."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_hours_posts_with_one_token_save_one_record(
    browser, catalogue, monkeypatch, no_rollup_messages
):
    from cases.views import hours as hours_views

    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory()])
    page = browser(worker)
    token = hidden_value(page.get(HOURS_URL).content.decode(), FIELD_NAME)
    slowed(monkeypatch, hours_views, "register_hours")

    responses = post_at_the_same_time(
        page, HOURS_URL, hours_data(catalogue["1-5-gesprekken"], token)
    )

    assert [response.status_code for response in responses] == [302, 302]
    assert HourRegistration.objects.filter(worker=worker).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_intake_posts_with_one_token_create_one_case(
    browser, catalogue, monkeypatch, no_rollup_messages
):
    from cases.views import intake as intake_views

    team = TeamFactory()
    worker = UserFactory(role=Role.SOCIAL_WORKER, teams=[team])
    page = browser(worker)
    token = hidden_value(page.get(INTAKE_URL).content.decode(), FIELD_NAME)
    slowed(monkeypatch, intake_views, "register_intake")

    responses = post_at_the_same_time(
        page, INTAKE_URL, intake_data(catalogue, team, worker, token), count=3
    )

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert Case.objects.count() == 1 and Client.objects.count() == 1
    assert {response.url for response in responses} == {
        reverse("cases:case_detail", args=[Case.objects.get().pk])
    }
