"""Two people edit the same client or case: the second save is told about the conflict
instead of silently overwriting the first (optimistic locking on `version`)."""

import datetime

import pytest
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Case, CaseOutcome, CaseStatusChange, Client
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory

from .conftest import hidden_value

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft dit traject intussen gewijzigd"


@pytest.fixture
def team():
    return TeamFactory(name="Team Hoofddorp")


@pytest.fixture
def anna(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team], first_name="Anna")


@pytest.fixture
def bram(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team], first_name="Bram")


@pytest.fixture
def person(team, catalogue):
    return ClientFactory(
        first_name="Willem", last_name="de Boer", team=team, birth_date=datetime.date(1950, 5, 6)
    )


@pytest.fixture
def case(team, anna, catalogue):
    return CaseFactory(
        client__team=team, team=team, responsible_worker=anna, status=CaseStatus.INTAKE
    )


def client_edit_data(page_html: str, person: Client, **changes) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat(),
        "postcode": person.postcode,
        "house_number": person.house_number or "",
        "lives_in_haarlemmermeer": "on",
        "version": hidden_value(page_html, "version"),
        **changes,
    }


def test_second_client_edit_from_a_stale_form_is_refused_and_saves_nothing(
    browser, anna, bram, person
):
    url = reverse("cases:client_edit", args=[person.pk])
    first, second = browser(anna), browser(bram)
    page_first = first.get(url).content.decode()
    page_second = second.get(url).content.decode()

    saved = first.post(url, client_edit_data(page_first, person, first_name="Wim"))
    assert saved.status_code == 302
    refused = second.post(url, client_edit_data(page_second, person, phone="0611111111"))

    assert refused.status_code == 200
    assert "Iemand anders heeft deze cliënt intussen gewijzigd" in refused.content.decode()
    person.refresh_from_db()
    assert (person.first_name, person.phone, person.version) == ("Wim", "", 2)


def test_second_status_change_from_a_stale_case_page_is_refused_and_saves_nothing(
    browser, anna, bram, case
):
    detail = reverse("cases:case_detail", args=[case.pk])
    url = reverse("cases:change_status", args=[case.pk])
    first, second = browser(anna), browser(bram)
    version_first = hidden_value(first.get(detail).content.decode(), "version")
    version_second = hidden_value(second.get(detail).content.decode(), "version")

    first.post(url, {"to_status": CaseStatus.ACTIVE, "version": version_first})
    # Bram's page still offers "Naar wachtlijst" for the case in intake.
    refused = second.post(
        url, {"to_status": CaseStatus.WAITING_LIST, "version": version_second}, follow=True
    )

    assert CONFLICT in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.waiting_since is None
    assert list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True)) == [
        CaseStatus.ACTIVE
    ]


def test_closing_a_case_someone_changed_meanwhile_is_refused_and_saves_nothing(
    browser, anna, bram, case
):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ACTIVE)
    close_url = reverse("cases:close_case", args=[case.pk])
    first, second = browser(anna), browser(bram)
    close_form_version = hidden_value(first.get(close_url).content.decode(), "version")
    # Meanwhile Bram puts the case on hold (waiting list) and back to active.
    status_url = reverse("cases:change_status", args=[case.pk])
    version = hidden_value(
        second.get(reverse("cases:case_detail", args=[case.pk])).content.decode(), "version"
    )
    second.post(status_url, {"to_status": CaseStatus.WAITING_LIST, "version": version})
    second.post(status_url, {"to_status": CaseStatus.ACTIVE, "version": int(version) + 1})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.version == int(version) + 2

    refused = first.post(
        close_url,
        {"goal_reached": "ja", "can_continue_independently": "ja", "version": close_form_version},
    )

    assert refused.status_code == 200 and CONFLICT in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert not CaseOutcome.objects.filter(case=case).exists()


def test_a_current_version_is_accepted(browser, anna, case):
    first = browser(anna)
    version = hidden_value(
        first.get(reverse("cases:case_detail", args=[case.pk])).content.decode(), "version"
    )
    first.post(
        reverse("cases:change_status", args=[case.pk]),
        {"to_status": CaseStatus.ACTIVE, "version": version},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.version == int(version) + 1
