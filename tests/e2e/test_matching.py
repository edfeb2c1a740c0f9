import datetime
import re

import pytest
from playwright.sync_api import expect

from cases.choices import CaseStatus
from catalogue.models import Area
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.volunteers_factories import VolunteerFactory
from volunteers.models import TrainingType, VolunteerTraining

TODAY = datetime.date.today()


@pytest.fixture
def home_start_case(catalogue, transactional_db):
    product = catalogue["home-start-en-home-start-plus"]
    hoofddorp = Area.objects.get(kind="kern", name="Hoofddorp")
    training = TrainingType.objects.get(name="Home-Start training")
    for last_name, kern, languages in (
        ("Jansen", None, []),
        ("El Amrani", hoofddorp, ["Arabisch", "Nederlands"]),
    ):
        volunteer = VolunteerFactory(
            first_name="Sanne",
            last_name=last_name,
            products=[product],
            kern=kern,
            languages=languages,
        )
        VolunteerTraining.objects.create(
            volunteer=volunteer, training=training, completed_on=TODAY - datetime.timedelta(days=30)
        )
    return CaseFactory(
        product=product,
        client=ClientFactory(
            first_name="Fatima", last_name="Bakri", kern=hoofddorp, language_needs="Arabisch"
        ),
        status=CaseStatus.WAITING_LIST,
        registered_on=TODAY - datetime.timedelta(days=70),
        waiting_since=TODAY - datetime.timedelta(days=59),
        question="Steun bij de opvoeding van drie jonge kinderen.",
    )


@pytest.fixture
def logged_in_coordinator(page, settings, home_start_case):
    settings.REQUIRE_2FA = False
    user = UserFactory(role=Role.COORDINATOR)
    home_start_case.product.coordinators.add(user)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


def test_coordinator_matches_a_waiting_home_start_case_from_proposal_to_closing(
    logged_in_coordinator, home_start_case
):
    page = logged_in_coordinator
    page.get_by_role("link", name="Wachtlijsten").first.click()
    waiting = page.get_by_test_id("waiting-case").filter(has_text="Fatima Bakri")
    expect(waiting).to_contain_text("8,4 weken")
    waiting.get_by_role("link", name="Fatima Bakri").click()

    suggestions = page.get_by_test_id("suggestion")
    expect(suggestions).to_have_count(2)
    expect(suggestions.first).to_contain_text("Sanne El Amrani")
    expect(suggestions.first).to_contain_text("woont in dezelfde kern")
    expect(suggestions.first).to_contain_text("spreekt Arabisch")
    page.get_by_role("button", name="Sanne El Amrani voorstellen").click()

    expect(page.get_by_text("Sanne El Amrani is voorgesteld.")).to_be_visible()
    expect(page.get_by_test_id("match-status")).to_have_text("Voorgesteld")
    page.get_by_role("button", name="Kennismaking vastleggen").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Kennismaking")
    page.get_by_role("button", name="Actief maken").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Actief")

    page.get_by_role("link", name="Fatima Bakri").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Actief")
    page.get_by_test_id("matches").get_by_role("link", name="Sanne El Amrani").click()

    # Breaking off without a reason is refused in Dutch; closing works (date kept).
    page.get_by_role("button", name="Afbreken").click()
    expect(page.get_by_text("Geef een reden waarom de koppeling stopt.")).to_be_visible()
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Afgerond")
    expect(page).to_have_url(re.compile(r"/matching/koppeling/\d+/$"))
