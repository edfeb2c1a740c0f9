"""Issue 13, point 9: a hidden field someone changed (the optimistic-lock `version`, a
mediation step) gets a clear Dutch message above the form; nothing is saved, never a 500."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import CaseOutcome, Client
from meerwaarde.accounts.models import Role
from meerwaarde.form_guards import HiddenFieldsGuard
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory

from .test_form_choices import project_forms

TAMPERED = "Het formulier is verouderd of beschadigd. Laad de pagina opnieuw"
# Forms whose hidden field errors the view itself turns into a message.
GUARDED_BY_THE_VIEW = {
    # A button per suggestion; the view shows the error as a message on the case page.
    "volunteers.forms_matching.ProposeForm",
}


def test_every_form_with_a_hidden_field_puts_its_errors_above_the_form():
    unguarded = {
        f"{cls.__module__}.{cls.__name__}"
        for cls in project_forms()
        if any(isinstance(field.widget, forms.HiddenInput) for field in cls.base_fields.values())
        and not issubclass(cls, HiddenFieldsGuard)
    }
    assert unguarded == GUARDED_BY_THE_VIEW


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Verborgen")


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def person(team, catalogue):
    return ClientFactory(
        first_name="Willem", last_name="de Boer", team=team, birth_date=datetime.date(1950, 5, 6)
    )


def edit_data(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": "Anders",
        "birth_date": person.birth_date.isoformat(),
        "lives_in_haarlemmermeer": "on",
        "version": person.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("version", ["abc", "-1", "", "1e9", "3.5"])
def test_a_tampered_client_version_gets_a_clear_message_and_saves_nothing(
    client, login, worker, person, version
):
    login(worker)
    response = client.post(
        reverse("cases:client_edit", args=[person.pk]), edit_data(person, version=version)
    )
    assert response.status_code == 200
    assert TAMPERED in response.content.decode()
    assert Client.objects.get(pk=person.pk).last_name == "de Boer"


@pytest.mark.parametrize("offset", [7, 10**22])
def test_a_wrong_client_version_says_someone_else_changed_it(client, login, worker, person, offset):
    login(worker)
    response = client.post(
        reverse("cases:client_edit", args=[person.pk]),
        edit_data(person, version=str(person.version + offset)),
    )
    assert response.status_code == 200
    assert "Iemand anders heeft deze cliënt intussen gewijzigd" in response.content.decode()
    assert Client.objects.get(pk=person.pk).last_name == "de Boer"


def test_a_tampered_case_version_on_closing_gets_a_clear_message(
    client, login, worker, team, catalogue
):
    case = CaseFactory(
        product=catalogue["maatjesprojecten"],
        team=team,
        responsible_worker=worker,
        status=CaseStatus.ACTIVE,
    )
    login(worker)
    response = client.post(
        reverse("cases:close_case", args=[case.pk]),
        {"version": "drie", "goal_reached": "ja", "can_continue_independently": "ja"},
    )
    assert response.status_code == 200
    assert TAMPERED in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and not CaseOutcome.objects.exists()


def test_a_tampered_case_version_on_a_status_change_says_so(client, login, worker, team, catalogue):
    case = CaseFactory(
        product=catalogue["maatjesprojecten"],
        team=team,
        responsible_worker=worker,
        status=CaseStatus.INTAKE,
    )
    login(worker)
    response = client.post(
        reverse("cases:change_status", args=[case.pk]),
        {"to_status": CaseStatus.WAITING_LIST, "version": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert TAMPERED in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
