import re

import pytest
from playwright.sync_api import expect

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


def test_social_worker_searches_filters_and_opens_a_product(logged_in_worker):
    page = logged_in_worker
    page.get_by_role("link", name="Catalogus", exact=True).click()
    expect(page.get_by_test_id("result-count")).to_have_text("43 producten gevonden")

    # Live search while typing (htmx), no submit needed.
    page.get_by_label("Zoeken", exact=True).fill("buurtbemiddeling")
    expect(page.get_by_test_id("result-count")).to_have_text("1 product gevonden")
    expect(page).to_have_url(re.compile(r"q=buurtbemiddeling"))

    page.get_by_label("Zoeken", exact=True).fill("")
    page.get_by_label("Leeftijd van de persoon").fill("15")
    page.get_by_label("Werkt met vrijwilligers").select_option("ja")
    results = page.get_by_test_id("product-results")
    expect(results.get_by_role("link", name="MatchMentor")).to_be_visible()
    expect(results.get_by_role("link", name="Formulierenbrigade")).to_have_count(0)

    results.get_by_role("link", name="MatchMentor").click()
    expect(page.get_by_role("heading", name="MatchMentor", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Werkwijze/methodiek")).to_be_visible()
    expect(page.get_by_test_id("hour-norm")).to_have_text("200 uur per jaar")


def test_past_dit_product_shows_fitting_products_with_checklist(logged_in_worker):
    page = logged_in_worker
    page.get_by_role("link", name="Catalogus", exact=True).click()
    page.get_by_role("link", name="Past dit product?").click()
    page.get_by_label("Geboortedatum").fill("1991-03-14")
    page.get_by_label("Woonplaats").select_option("ja")
    page.get_by_label("Leeftijden van de kinderen in het gezin").fill("3, 8")
    page.get_by_role("button", name="Toon passende producten").click()
    fitting = page.get_by_test_id("fitting")
    home_start = fitting.get_by_role("listitem").filter(has_text="Home-Start en Home-Start+").first
    expect(home_start).to_contain_text("Gezin staat open voor ondersteuning door Home-Start")
    expect(fitting.get_by_role("link", name="Stacks")).to_have_count(0)
    page.get_by_text(re.compile(r"producten passen niet")).click()
    expect(page.get_by_test_id("not-fitting")).to_contain_text("Stacks")


def test_bad_birth_date_gets_a_dutch_message_in_the_browser(logged_in_worker):
    page = logged_in_worker
    page.goto("/catalogus/past-dit-product/?geboortedatum=2999-01-01")
    expect(page.get_by_text("De geboortedatum ligt in de toekomst.")).to_be_visible()
