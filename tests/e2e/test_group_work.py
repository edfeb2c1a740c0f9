import datetime

import pytest
from playwright.sync_api import expect

from cases.models import AnonymousContact, GroupActivity, GroupSession
from catalogue.models import Area, Location
from meerwaarde.accounts.models import Role
from tests.factories import TEST_PASSWORD, TeamFactory, UserFactory


@pytest.fixture
def worker_page(page, settings, catalogue, transactional_db):
    settings.REQUIRE_2FA = False
    user = UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Pax")])
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


@pytest.fixture
def pluspunt(catalogue):
    return Location.objects.create(
        name="PlusPunt Pax", kind="pluspunt", area=Area.objects.get(kind="kern", name="Hoofddorp")
    )


def test_social_worker_runs_an_activity_and_registers_a_walk_in_contact(worker_page, pluspunt):
    page = worker_page
    page.get_by_role("link", name="Groepen en inloop").click()
    expect(page.get_by_test_id("no-activities")).to_be_visible()

    page.get_by_role("link", name="Nieuwe activiteit").click()
    page.get_by_label("Product").select_option(label="Ouder en Kind Inloop (OKI)")
    page.get_by_label("Naam van de activiteit").fill("OKI dinsdagochtend")
    page.get_by_label("Locatie").select_option(label="PlusPunt Pax")
    start = datetime.date.today() - datetime.timedelta(days=14)
    page.get_by_label("Startdatum").fill(start.isoformat())
    page.get_by_role("button", name="Activiteit aanmaken").click()
    expect(page.get_by_role("heading", name="OKI dinsdagochtend", level=1)).to_be_visible()

    page.get_by_label("Aantal deelnemers").fill("12")
    page.get_by_label("Waarvan nieuw").fill("3")
    page.get_by_label("Aantal vrijwilligers").fill("2")
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("12 deelnemers")
    totals = page.get_by_test_id("session-totals")
    expect(totals).to_contain_text("Totaal (1 bijeenkomst)")
    expect(totals).to_contain_text("12")

    # Bad input: more new participants than participants, nothing saved.
    page.get_by_label("Aantal deelnemers").fill("4")
    page.get_by_label("Waarvan nieuw").fill("5")
    page.get_by_role("button", name="Bijeenkomst opslaan").click()
    expect(
        page.get_by_text("Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers.")
    ).to_be_visible()

    page.get_by_role("link", name="Groepen en inloop").first.click()
    row = page.get_by_test_id("activities").get_by_role("row", name="OKI dinsdagochtend")
    expect(row).to_contain_text("Ouder en Kind Inloop (OKI)")
    expect(row).to_contain_text("PlusPunt Pax, Hoofddorp")

    # A walk-in contact: no personal data, only where, what and whether referred on.
    form = page.get_by_role("form", name="Inloopcontact registreren")
    expect(form.get_by_label("Naam")).to_have_count(0)
    form.get_by_label("Locatie").select_option(label="PlusPunt Pax")
    form.get_by_label("Onderwerp").select_option(label="Geldzaken")
    form.get_by_label("Ja").check()
    form.get_by_label("Doorverwezen naar").select_option(label="Schuldhulpverlening")
    form.get_by_role("button", name="Contact registreren").click()
    expect(page.get_by_role("status")).to_contain_text("Inloopcontact geregistreerd")
    week = page.get_by_test_id("walk-in-week")
    expect(week).to_contain_text("PlusPunt Pax")
    expect(week).to_contain_text("1 contact")
    expect(week).to_contain_text("Geldzaken: 1")

    activity = GroupActivity.objects.get()
    assert GroupSession.objects.get(activity=activity).participants == 12
    contact = AnonymousContact.objects.get()
    assert (contact.topic, contact.referred_on, contact.referred_to) == (
        "geldzaken",
        True,
        "schuldhulpverlening",
    )
