"""The social worker's main path in a real browser: intake for a new client (with the
duplicate warning for a known one), hours, statuses, and closing with an outcome."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseOutcome, HourRegistration
from meerwaarde.accounts.models import Role
from tests.cases_factories import ClientFactory
from tests.factories import TEST_PASSWORD, TeamFactory, UserFactory


@pytest.fixture
def worker_page(page, settings, catalogue, transactional_db):
    settings.REQUIRE_2FA = False
    team = TeamFactory(name="Team Hoofddorp")
    user = UserFactory(
        role=Role.SOCIAL_WORKER, teams=[team], first_name="Fatima", last_name="El Amrani"
    )
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    page.team = team
    return page


def fill_new_client(page, first_name, last_name, birth_date):
    page.get_by_label("Voornaam", exact=True).fill(first_name)
    page.get_by_label("Achternaam", exact=True).fill(last_name)
    page.get_by_label("Geboortedatum", exact=True).fill(birth_date)
    page.get_by_label("Postcode", exact=True).fill("2132 AB")
    page.get_by_label("Huisnummer", exact=True).fill("12")


def test_intake_hours_statuses_and_closing(worker_page):
    page = worker_page
    ClientFactory(
        first_name="Samira",
        last_name="Bouzid",
        birth_date=datetime.date(1984, 3, 14),
        team=page.team,
    )

    page.get_by_role("link", name="Nieuwe aanmelding").first.click()
    fill_new_client(page, "Samira", "Bouzid", "1984-03-14")
    # The duplicate warning appears while typing (htmx), before saving.
    expect(page.get_by_test_id("duplicates")).to_contain_text("Mogelijk is deze cliënt al bekend")

    page.get_by_label("Product").select_option(label="1-5 gesprekken")
    criteria = page.locator("#criteria input[type=checkbox]")
    expect(criteria.first).to_be_visible()
    for index in range(criteria.count()):
        criteria.nth(index).check()
    page.locator("#id_referral_source").select_option("huisarts")
    page.get_by_role("textbox", name="Hulpvraag").fill("Schulden en slaapt slecht.")
    page.get_by_label("De cliënt geeft toestemming om zijn of haar gegevens te registreren").check()
    page.get_by_role("button", name="Aanmelding opslaan").click()
    # Nothing is saved until the worker says it is another person.
    expect(page.get_by_test_id("form-errors")).to_contain_text("mogelijk al bekend")
    assert Case.objects.count() == 0
    page.get_by_label("Het is niet dezelfde persoon: toch een nieuwe cliënt aanmaken").check()
    # The browser keeps the ticked criteria after the re-render; tick them again if needed.
    for index in range(criteria.count()):
        criteria.nth(index).check()
    page.get_by_role("button", name="Aanmelding opslaan").click()
    expect(page.get_by_text("De aanmelding is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", name="1-5 gesprekken", level=1)).to_be_visible()
    case = Case.objects.get()

    # Hours in place on the case page.
    hours_form = page.get_by_test_id("hours-form")
    hours_form.get_by_role("textbox", name="Uren").fill("1,5")
    hours_form.get_by_role("button").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("1,5 uur")
    assert HourRegistration.objects.get().hours == 1.5

    # Statuses: aangemeld → intake → actief, then close with an outcome.
    page.get_by_role("button", name="Naar Intake").click()
    page.get_by_role("button", name="Naar Actief").click()
    expect(page.locator(".badge.status-actief")).to_be_visible()
    page.get_by_role("link", name="Afsluiten met resultaat").click()
    page.get_by_label("Deels").check()
    page.get_by_role("radio", name="Ja").nth(1).check()
    page.get_by_label("Voor- en nameting (optioneel)").select_option("zrm")
    page.get_by_text(re.compile(r"^Scores Zelfredzaamheid-Matrix")).click()
    page.get_by_label("Financiën (begin (0-meting))").fill("2")
    page.get_by_label("Financiën (einde)").fill("4")
    page.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("Het traject is afgesloten.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("doel bereikt: deels")
    case.refresh_from_db()
    assert case.status == "afgesloten"
    assert CaseOutcome.objects.get(case=case).goal_reached == "deels"
