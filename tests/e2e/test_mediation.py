import datetime

import pytest
from playwright.sync_api import expect

from cases.choices import CaseStatus, MediationStep
from cases.models import Case, MediationParty
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory
from tests.factories import TEST_PASSWORD, UserFactory

WINDOW_MESSAGE = registration_date_window().message


@pytest.fixture
def coordinator_page(page, settings, catalogue, transactional_db):
    settings.REQUIRE_2FA = False
    user = UserFactory(role=Role.COORDINATOR)
    catalogue["buurt-en-groepsbemiddeling"].coordinators.add(user)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


def record_step(page, note: str) -> None:
    page.get_by_label("Verslag").fill(note)
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("is vastgelegd")


def test_coordinator_records_parties_and_steps_through_the_joint_talk(coordinator_page, catalogue):
    page = coordinator_page
    case = CaseFactory(
        product=catalogue["buurt-en-groepsbemiddeling"],
        status=CaseStatus.REGISTERED,
        registered_on=datetime.date.today() - datetime.timedelta(days=3),
        question="Geluidsoverlast van de buren.",
    )
    page.get_by_role("link", name="Buurtbemiddeling", exact=True).click()
    page.get_by_test_id("meldingen").get_by_role("link", name=case.client.full_name).click()

    # Party 1 is prefilled with the client; party 2 is typed in.
    party_1 = page.get_by_test_id("party-1")
    expect(party_1.get_by_label("Naam")).to_have_value(case.client.full_name)
    party_1.get_by_label("Telefoon").fill("023-5551234")
    party_1.get_by_role("button", name="Partij 1 opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Partij 1 is opgeslagen.")
    party_2 = page.get_by_test_id("party-2")
    party_2.get_by_label("Naam").fill("Familie Jansen")
    party_2.get_by_label("Adres").fill("Dorpsstraat 3, Hoofddorp")
    party_2.get_by_role("button", name="Partij 2 opslaan").click()
    expect(page.get_by_test_id("party-2")).to_contain_text("Familie Jansen")

    expect(page.get_by_role("heading", name="Volgende stap: Aanname melding")).to_be_visible()
    record_step(page, "Melding via de woningcorporatie; informatie uitgewisseld.")
    expect(page.get_by_text("Accepteren: bemiddeling gaat door")).to_be_visible()
    page.get_by_label("Accepteren: bemiddeling gaat door").check()
    record_step(page, "Huis-tuin-en-keukenconflict: past bij bemiddeling.")
    record_step(page, "Bemiddelaars Anja en Kees ingeschakeld.")
    record_step(page, "Gesprek met partij 1 gevoerd.")
    record_step(page, "Gesprek met partij 2 gevoerd.")
    record_step(page, "Gezamenlijk gesprek: afspraken over de muziek na 22 uur.")

    expect(page.get_by_role("heading", name="Volgende stap: Nazorg")).to_be_visible()
    steps = page.get_by_test_id("steps")
    today = datetime.date.today().strftime("%d-%m-%Y")
    expect(steps.locator("[data-step=gezamenlijk_gesprek]")).to_contain_text(today)
    expect(page.locator(".badge", has_text="Actief")).to_be_visible()

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert list(case.mediation_steps.values_list("step", flat=True).order_by("id")) == list(
        MediationStep.values[:6]
    )
    assert MediationParty.objects.filter(case=case).count() == 2
    assert Case.objects.get(pk=case.pk).mediation_parties.get(number=1).phone == "023-5551234"


def test_a_future_date_gets_a_dutch_message_in_the_browser(coordinator_page, catalogue):
    page = coordinator_page
    case = CaseFactory(product=catalogue["buurt-en-groepsbemiddeling"])
    page.goto(f"/buurtbemiddeling/{case.pk}/")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    page.get_by_label("Datum").fill(tomorrow.isoformat())
    page.get_by_label("Verslag").fill("Te vroeg")
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_text(WINDOW_MESSAGE)).to_be_visible()
    assert not case.mediation_steps.exists()
