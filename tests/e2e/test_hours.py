import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import HourRegistration
from meerwaarde.accounts.models import Role
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def logged_in_worker(page, settings, catalogue, transactional_db):
    settings.REQUIRE_2FA = False
    user = UserFactory(role=Role.SOCIAL_WORKER)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


def test_social_worker_adds_edits_and_gets_a_dutch_error_for_25_hours(logged_in_worker):
    page = logged_in_worker
    today = timezone.localdate().isoformat()
    day_total = page.get_by_test_id(f"day-total-{today}")
    week_total = page.get_by_test_id("week-total")

    page.get_by_role("link", name="Uren", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mijn uren")
    expect(week_total).to_have_text("0")

    form = page.get_by_test_id("hours-form")
    expect(form.get_by_label("Datum")).to_have_value(today)
    form.get_by_label("Product").select_option(label="1-5 gesprekken")
    form.get_by_label("Soort").select_option(label="Coördinatie")
    form.get_by_role("textbox", name="Uren").fill("1,5")
    form.get_by_role("textbox", name="Toelichting").fill("Overleg met de huisarts")
    form.get_by_role("button", name="Uren registreren").click()

    expect(page.get_by_text("1,5 uur geregistreerd op")).to_be_visible()
    expect(day_total).to_have_text("1,5")
    expect(week_total).to_have_text("1,5")
    day = page.get_by_test_id(f"day-{today}")
    expect(day.get_by_role("cell", name="Overleg met de huisarts")).to_be_visible()

    day.get_by_role("link", name=re.compile(r"^Wijzigen")).click()
    hours = page.get_by_role("textbox", name="Uren")
    expect(hours).to_have_value("1,5")
    hours.fill("2.75")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.get_by_text("De uren zijn gewijzigd.")).to_be_visible()
    expect(day_total).to_have_text("2,75")
    expect(week_total).to_have_text("2,75")

    day.get_by_role("link", name=re.compile(r"^Wijzigen")).click()
    page.get_by_role("textbox", name="Uren").fill("25")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(
        page.get_by_text("Meer dan 24 uur op één dag kan niet: op ", exact=False)
    ).to_contain_text("staat al 0 uur; met 25 uur erbij wordt het 25 uur.")
    # The keyboard focus lands on the field to correct.
    expect(page.get_by_role("textbox", name="Uren")).to_be_focused()

    page.get_by_role("link", name="Terug naar de week").click()
    expect(week_total).to_have_text("2,75")
    assert [str(r.hours) for r in HourRegistration.objects.all()] == ["2.75"]
