"""/beheer/ is "MeerWaarde beheer" and Dutch throughout: the lock-out lists of django-axes,
the change history of django-auditlog and django-otp's authenticator apps included."""

import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meerwaarde.accounts.models import Role
from meerwaarde.audit.presenters import shown_field
from meerwaarde.audit.registry import personal_data_models
from tests.cases_factories import ClientFactory
from tests.factories import UserFactory

# What /beheer/ showed before: package names, English model names, columns and filters.
ENGLISH = (
    "Axes",
    "Access attempt",
    "Access log",
    "Access failure",
    "Attempted Access",
    "Attempt Time",
    "Failed Logins",
    "Locked Out",
    "IP Address",
    "User Agent",
    "Username",
    "Form Data",
    "Meta Data",
    "Clean up expired attempts",
    "Audit log",
    "log entr",
    "Created",
    "Resource",
    "Correlation ID",
    "Changes",
    "TOTP device",
    "Otp_Totp",
    "Django_Otp",
    "Created at",
    "Last used at",
    "Confirmed",
    "Model name",
    "Add link",
    "Auth Token",
    "created by",
)


def visible_text(html: str) -> str:
    """What a reader sees and hears: text and the attributes screen readers read."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.DOTALL)
    titles = " ".join(re.findall(r'(?:title|aria-label)="([^"]*)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)) + " " + titles


def assert_dutch(text: str) -> None:
    found = [word for word in ENGLISH if word.lower() in text.lower()]
    assert not found, found


@pytest.fixture
def beheerder(make_user, login):
    user = make_user(role=Role.FUNCTIONAL_ADMIN)
    login(user)
    return user


@pytest.fixture
def locked_out_account(db):
    return AccessAttempt.objects.create(
        username="iemand",
        user_agent="Mozilla/5.0",
        ip_address="10.0.0.7",
        http_accept="text/html",
        path_info="/account/inloggen/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


@pytest.mark.django_db
def test_the_admin_is_branded_meerwaarde_beheer_with_dutch_sections(client, beheerder):
    text = visible_text(client.get(reverse("admin:index")).content.decode())
    assert "MeerWaarde beheer" in text
    assert "Inlogbeveiliging" in text and "Mislukte inlogpogingen en blokkades" in text
    assert "Wijzigingshistorie" in text
    assert_dutch(text)


@pytest.mark.django_db
def test_the_lockout_list_and_page_are_dutch(client, beheerder, locked_out_account):
    html = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    text = visible_text(html)
    for header in ("Tijdstip", "Gebruikersnaam", "Aantal mislukte pogingen", "Status", "IP-adres"):
        assert header in text
    assert "geblokkeerd" in text and "Verlopen pogingen opruimen" in text
    assert_dutch(text)
    page = client.get(reverse("admin:axes_accessattempt_change", args=[locked_out_account.pk]))
    text = visible_text(page.content.decode())
    assert "Formuliergegevens" in text and "Verzoekgegevens" in text and "Browser" in text
    assert "iemand, " in text  # the row's title: user and local time
    assert_dutch(text)


@pytest.mark.django_db
def test_a_lockout_is_lifted_on_the_users_page_not_by_deleting_the_row(
    client, beheerder, locked_out_account
):
    # Deleting the lockout record would leave no reason and tell nobody: the beheerder
    # lifts it on the user's page (tests/accounts/test_account_security.py).
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[locked_out_account.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_the_failure_list_is_dutch(client, make_user, login):
    superuser = UserFactory(is_superuser=True, is_staff=True, role=Role.FUNCTIONAL_ADMIN)
    login(superuser)
    AccessFailureLog.objects.create(
        username="iemand", user_agent="x", ip_address="10.0.0.7", http_accept="x", path_info="/"
    )
    text = visible_text(
        client.get(reverse("admin:axes_accessfailurelog_changelist")).content.decode()
    )
    assert "Mislukte inlogs" in text and "Geblokkeerd" in text
    assert_dutch(text)


@pytest.mark.django_db
def test_the_change_history_list_and_entry_are_dutch(client, beheerder):
    worker = UserFactory(role=Role.SOCIAL_WORKER, first_name="Sanne", last_name="de Wit")
    with set_actor(worker):
        person = ClientFactory(first_name="Jorinde", lives_in_haarlemmermeer=True)
    html = client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    text = visible_text(html)
    for header in ("Tijdstip", "Gegevens", "Handeling", "Wijzigingen", "Door", "Verzoekkenmerk"):
        assert header in text
    assert "aangemaakt" in text and "voornaam" in text
    assert "soort gegevens" in text.lower()  # the filter
    assert_dutch(text)
    assert "cases.Case.None" not in html and "search_name" not in html
    entry = LogEntry.objects.get_for_object(person).get()
    page = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    text = visible_text(page.content.decode())
    compact = re.sub(r"\s+", "", text)
    assert "Voornaam:–→Jorinde" in compact and "WoontinHaarlemmermeer:–→Ja" in compact
    assert "Sanne de Wit (Sociaal werker)" in text
    assert_dutch(text)


def test_authenticators_cannot_be_added_or_read_in_the_admin():
    # Adding a device with a known key, or reading its QR code, would be a way round the
    # second factor; devices are listed and reset on the user's page instead.
    assert not admin.site.is_registered(TOTPDevice)


def test_every_field_the_change_history_shows_has_a_dutch_name():
    """A field without its own name would show as its code ("created by")."""
    unnamed = [
        f"{entry.model._meta.label}.{field.name}"
        for entry in personal_data_models()
        for field in entry.model._meta.concrete_fields
        if shown_field(entry.model, field.name) is not None and field._verbose_name is None
    ]
    assert unnamed == []


@pytest.mark.django_db
def test_the_dutch_names_do_not_leak_into_migrations():
    assert str(apps.get_model("axes", "AccessAttempt")._meta.verbose_name) == (
        "mislukte inlogpoging"
    )
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
