"""Issue 13, point 9: every free text has a length limit, in the form (with a Dutch
message), in the model (so the admin and `full_clean` refuse it too) and in the service."""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import CaseOutcome, CaseStatusChange, Contact, Referral
from cases.services import case_flow
from meerwaarde.accounts.models import Role
from meerwaarde.text_limits import EVALUATION_NOTES_LENGTH, NOTE_LENGTH, REPORT_LENGTH
from tests.cases_factories import CaseFactory
from tests.factories import TeamFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import MatchStatus, Volunteer
from volunteers.services.matching import record_evaluation
from volunteers.services.registry import update_volunteer

from .test_form_choices import APPS, project_forms

TODAY = datetime.date.today()
# Text fields without a length limit on the class, and why that is safe.
UNLIMITED = {
    # AuthenticationForm.__init__ limits it to the user model's username (150).
    "meerwaarde.accounts.forms.LoginForm.username": "gebruikersnaam",
    # Never stored: Django checks it against the hash and its hashers cap the work.
    "meerwaarde.accounts.forms.LoginForm.password": "wachtwoord",
    # The beheerder's new password for a user: never stored as typed, only its hash.
    "meerwaarde.accounts.admin.AdminSetPasswordForm.new_password1": "wachtwoord",
    "meerwaarde.accounts.admin.AdminSetPasswordForm.new_password2": "wachtwoord",
    # A regex of exactly six digits.
    "meerwaarde.accounts.forms.TokenForm.token": "zes cijfers",
}


def test_every_text_field_of_every_form_has_a_length_limit():
    unlimited = set()
    for cls in project_forms():
        for name, field in cls.base_fields.items():
            key = f"{cls.__module__}.{cls.__name__}.{name}"
            if isinstance(field, forms.CharField) and not field.max_length and key not in UNLIMITED:
                unlimited.add(key)
    assert unlimited == set()


def test_every_free_text_of_every_model_has_a_length_limit_that_full_clean_checks():
    """The admin's forms come from the models; `full_clean` uses the validator."""
    unlimited = []
    for model in apps.get_models():
        if model._meta.app_label not in {*APPS, "accounts"}:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.editable:
                checked = any(isinstance(v, MaxLengthValidator) for v in field.validators)
                if not field.max_length or not checked:
                    unlimited.append(f"{model._meta.label}.{field.name}")
    assert unlimited == []


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Lengte")


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def case(catalogue, team, worker):
    return CaseFactory(
        product=catalogue["maatjesprojecten"],
        team=team,
        responsible_worker=worker,
        status=CaseStatus.ACTIVE,
        registered_on=TODAY - datetime.timedelta(days=30),
    )


def test_case_services_refuse_over_long_text_and_save_nothing(case, worker):
    too_long_report = "x" * (REPORT_LENGTH + 1)
    too_long_note = "x" * (NOTE_LENGTH + 1)
    attempts = [
        (
            "summary",
            lambda: case_flow.add_contact(
                case=case, date=TODAY, kind="gesprek", summary=too_long_report, created_by=worker
            ),
        ),
        (
            "note",
            lambda: case_flow.add_referral(
                case=case,
                partner="schuldhulpverlening",
                date=TODAY,
                created_by=worker,
                note=too_long_note,
            ),
        ),
        (
            "note",
            lambda: case_flow.close_case(
                case=case,
                closed_by=worker,
                goal_reached="ja",
                can_continue_independently=True,
                note=too_long_note,
            ),
        ),
        (
            "note",
            lambda: case_flow.change_case_status(
                case=case, to_status=CaseStatus.WAITING_LIST, changed_by=worker, note="x" * 301
            ),
        ),
    ]
    for field, attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "Gebruik hooguit" in " ".join(error.value.message_dict[field])
    assert not Contact.objects.exists() and not Referral.objects.exists()
    assert not CaseOutcome.objects.exists() and not CaseStatusChange.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_model_full_clean_refuses_an_over_long_text(case, worker):
    contact = Contact(
        case=case, date=TODAY, kind="gesprek", summary="x" * (REPORT_LENGTH + 1), created_by=worker
    )
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "summary" in error.value.message_dict


@pytest.fixture
def coordinator(make_user, catalogue):
    user = make_user(role=Role.COORDINATOR)
    catalogue["home-start-en-home-start-plus"].coordinators.add(user)
    return user


@pytest.fixture
def active_match(catalogue, coordinator):
    return MatchFactory(
        case=CaseFactory(
            product=catalogue["home-start-en-home-start-plus"],
            status=CaseStatus.ACTIVE,
            registered_on=TODAY - datetime.timedelta(days=100),
        ),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=7),
    )


def test_an_over_long_evaluation_is_refused_on_the_page_and_nothing_is_saved(
    client, login, coordinator, active_match
):
    login(coordinator)
    response = client.post(
        reverse("volunteers_matching:match_evaluation", args=[active_match.pk]),
        {"kind": "tussen", "date": TODAY.isoformat(), "notes": "x" * 100_000},
    )
    assert response.status_code == 400
    assert "Gebruik hooguit 5000 tekens (nu 100000)." in response.content.decode()
    active_match.refresh_from_db()
    assert active_match.evaluation_notes == "" and active_match.interim_evaluation_on is None


def test_record_evaluation_refuses_an_over_long_note_and_a_full_report(coordinator, active_match):
    with pytest.raises(ValidationError) as error:
        record_evaluation(
            match=active_match,
            kind="tussen",
            date=TODAY,
            notes="x" * (NOTE_LENGTH + 1),
            recorded_by=coordinator,
        )
    assert "notes" in error.value.message_dict
    active_match.evaluation_notes = "y" * (EVALUATION_NOTES_LENGTH - 100)
    active_match.save(update_fields=["evaluation_notes"])
    with pytest.raises(ValidationError, match="evaluatieverslag van deze koppeling is vol"):
        record_evaluation(
            match=active_match, kind="eind", date=TODAY, notes="z" * 200, recorded_by=coordinator
        )
    active_match.refresh_from_db()
    assert "z" not in active_match.evaluation_notes and active_match.final_evaluation_on is None


def test_update_volunteer_refuses_over_long_skills_and_wishes(catalogue, coordinator):
    volunteer = VolunteerFactory(products=[catalogue["home-start-en-home-start-plus"]])
    data = {
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "birth_date": volunteer.birth_date,
        "status": volunteer.status,
        "max_matches": 1,
        "products": list(volunteer.products.all()),
        "skills": "x" * 2001,
        "wishes": "x" * 2001,
    }
    with pytest.raises(ValidationError) as error:
        update_volunteer(
            volunteer=volunteer,
            data=data,
            availability=set(),
            changed_by=coordinator,
            expected_version=volunteer.version,
        )
    assert {"skills", "wishes"} <= set(error.value.message_dict)
    assert Volunteer.objects.get(pk=volunteer.pk).skills == volunteer.skills
