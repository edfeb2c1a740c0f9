"""The access log and the change history cover every personal-data model and page; the
functioneel beheerder searches them by person, user and date and cannot change them."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from meerwaarde.accounts.models import Role, User
from meerwaarde.audit.models import PersonalDataAccess
from meerwaarde.audit.registry import NOT_PERSONAL_DATA, personal_data_models
from meerwaarde.audit.services import log_personal_data_access
from tests.cases_factories import ClientFactory

PROJECT_APPS = ["accounts", "audit", "catalogue", "cases", "volunteers", "reporting"]
# Field names that hold (or may hold) personal data: names, birth dates, addresses,
# contact details and free text.
PERSONAL_FIELD = re.compile(
    r"name|birth|street|house_number|address|postcode|phone|email|note|remark|question|"
    r"description|summary|comment|reason|wishes|skills"
)


def personal_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if PERSONAL_FIELD.search(field.name) or isinstance(field, models.TextField)
    ]


def refers_to_a_person(model, registered: set) -> bool:
    """A foreign key to a client, case, volunteer, ... (not to a staff user)."""
    return any(
        field.many_to_one and field.related_model in registered - {User}
        for field in model._meta.concrete_fields
    )


def test_every_model_with_personal_data_has_a_change_history():
    registered = {entry.model for entry in personal_data_models()}
    forgotten = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model in registered:
                assert auditlog.contains(model), model
                continue
            if model._meta.label in NOT_PERSONAL_DATA:
                continue
            if personal_fields(model) or refers_to_a_person(model, registered):
                forgotten.append(f"{model._meta.label} {personal_fields(model)}")
    assert not forgotten, (
        "Model met persoonsgegevens zonder wijzigingshistorie (registreer het met "
        f"register_personal_data_model of zet het met een reden in NOT_PERSONAL_DATA): {forgotten}"
    )


def test_the_exemption_list_names_real_unregistered_models():
    registered = {entry.model._meta.label for entry in personal_data_models()}
    for label, reason in NOT_PERSONAL_DATA.items():
        model = apps.get_model(label)
        assert model._meta.label not in registered, label
        assert personal_fields(model), f"{label} heeft geen vrijstelling nodig"
        assert reason


def test_the_core_person_models_are_registered():
    labels = {entry.model._meta.label for entry in personal_data_models()}
    assert {
        "cases.Client",
        "cases.Household",
        "cases.Consent",
        "cases.Case",
        "cases.Contact",
        "cases.Referral",
        "cases.CaseOutcome",
        "cases.OutcomeScore",
        "cases.MediationParty",
        "volunteers.Volunteer",
        "volunteers.Availability",
        "volunteers.VolunteerTraining",
        "volunteers.Match",
    } <= labels


# That every page showing a person writes the access log (error re-renders included) is
# tested in test_access_log.py, which walks the URL patterns.


@pytest.mark.django_db
def test_functioneel_beheerder_searches_the_access_log_by_person_user_and_date(
    client, login, make_user
):
    admin_user = make_user(role=Role.FUNCTIONAL_ADMIN)
    worker = make_user(username="sjansen", last_name="Jansen")
    other_worker = make_user(username="pdevries", last_name="de Vries")
    person = ClientFactory(first_name="Yasmina", last_name="Oudshoorn")
    other_person = ClientFactory(first_name="Kees", last_name="Brouwer")
    seen = log_personal_data_access(user=worker, subject=person)
    log_personal_data_access(user=other_worker, subject=other_person)
    old = log_personal_data_access(user=worker, subject=other_person)
    PersonalDataAccess.objects.filter(pk=old.pk).update(
        accessed_at=timezone.now() - datetime.timedelta(days=400)
    )
    login(admin_user)
    url = reverse("admin:audit_personaldataaccess_changelist")

    def found(**params) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["cl"].result_list}

    assert found(q="Oudshoorn") == {seen.pk}
    assert found(q="yasmina oudsh") == {seen.pk}
    assert found(q=str(person.pk)) == {seen.pk}
    assert found(q="sjansen") == {seen.pk, old.pk}
    assert found(user__id__exact=worker.pk) == {seen.pk, old.pk}
    today = timezone.localdate()
    assert old.pk not in found(
        accessed_at__gte=(today - datetime.timedelta(days=30)).isoformat(),
        accessed_at__lt=(today + datetime.timedelta(days=1)).isoformat(),
    )
    assert found(accessed_at__year=str(today.year - 1)) | found(
        accessed_at__year=str(today.year - 2)
    ) >= {old.pk}


@pytest.mark.django_db
def test_functioneel_beheerder_searches_the_change_history_by_person_user_and_date(
    client, login, make_user
):
    admin_user = make_user(role=Role.FUNCTIONAL_ADMIN)
    person = ClientFactory(first_name="Yasmina", last_name="Oudshoorn")
    ClientFactory(first_name="Kees", last_name="Brouwer")
    person.phone = "0612345678"
    person.save()
    history = set(LogEntry.objects.get_for_object(person).values_list("pk", flat=True))
    assert len(history) == 2
    login(admin_user)
    url = reverse("admin:auditlog_logentry_changelist")

    def found(**params) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["cl"].result_list}

    assert found(q="Oudshoorn") == history
    assert found(q=str(person.pk)) >= history
    today = timezone.localdate()
    assert (
        found(
            timestamp__gte=today.isoformat(),
            timestamp__lt=(today + datetime.timedelta(days=1)).isoformat(),
        )
        >= history
    )
    assert not found(timestamp__lt=(today - datetime.timedelta(days=1)).isoformat()) & history
    actor = LogEntry.objects.filter(actor__isnull=False).values_list("actor", flat=True).first()
    if actor:
        assert found(actor__id__exact=actor)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_admin", ["audit_personaldataaccess", "auditlog_logentry"], ids=["inzagelog", "historie"]
)
def test_logs_cannot_be_added_changed_or_deleted_through_the_app(
    client, login, make_user, model_admin
):
    admin_user = make_user(role=Role.FUNCTIONAL_ADMIN)
    person = ClientFactory()
    log_personal_data_access(user=admin_user, subject=person)
    entry = (
        PersonalDataAccess.objects.get()
        if model_admin == "audit_personaldataaccess"
        else LogEntry.objects.get_for_object(person).get()
    )
    login(admin_user)
    counts = (PersonalDataAccess.objects.count(), LogEntry.objects.count())
    change_url = reverse(f"admin:{model_admin}_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # the view page is read-only
    assert client.post(change_url, {"subject_id": "999", "object_repr": "x"}).status_code == 403
    assert client.get(reverse(f"admin:{model_admin}_add")).status_code == 403
    assert client.post(reverse(f"admin:{model_admin}_add"), {}).status_code == 403
    delete_url = reverse(f"admin:{model_admin}_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse(f"admin:{model_admin}_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert (PersonalDataAccess.objects.count(), LogEntry.objects.count()) == counts
