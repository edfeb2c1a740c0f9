import datetime

import pytest
from playwright.sync_api import expect

from meerwaarde.accounts.models import Role
from tests.factories import TEST_PASSWORD, UserFactory
from volunteers.models import Volunteer


@pytest.fixture
def logged_in_coordinator(page, settings, catalogue, transactional_db):
    settings.REQUIRE_2FA = False
    user = UserFactory(role=Role.COORDINATOR)
    catalogue["home-start-en-home-start-plus"].coordinators.add(user)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


def test_coordinator_registers_home_start_volunteer_who_can_be_matched(logged_in_coordinator):
    page = logged_in_coordinator
    vog = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    page.get_by_role("link", name="Vrijwilligers", exact=True).click()
    page.get_by_role("link", name="Nieuwe vrijwilliger").click()

    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("Geboortedatum").fill("1985-04-12")
    page.get_by_label("Status").select_option("actief")
    page.get_by_label("Home-Start en Home-Start+").check()
    page.get_by_label("Talen").fill("Nederlands, Engels")
    page.get_by_label("Datum VOG").fill(vog)
    page.get_by_label("dinsdag ochtend").check()
    page.get_by_label("donderdag middag").check()
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", name="Sanne de Vries", level=1)).to_be_visible()
    screening = page.get_by_test_id("screening")
    expect(screening).to_contain_text("Training 'Home-Start training' ontbreekt.")
    expect(page.get_by_test_id("availability")).to_contain_text("✓")

    training_form = page.get_by_role("form", name="Training toevoegen")
    training_form.get_by_role("combobox").select_option(label="Home-Start training")
    training_form.get_by_label("Afgerond op").fill(datetime.date.today().isoformat())
    training_form.get_by_role("button", name="Training toevoegen").click()

    expect(page.get_by_test_id("trainings")).to_contain_text("Home-Start training")
    expect(screening).to_contain_text("Home-Start en Home-Start+")
    expect(screening).to_contain_text("Kan gekoppeld worden")

    volunteer = Volunteer.objects.get()
    assert set(volunteer.availability.values_list("weekday", "day_part")) == {
        (1, "ochtend"),
        (3, "middag"),
    }
    assert volunteer.languages == ["Nederlands", "Engels"]
