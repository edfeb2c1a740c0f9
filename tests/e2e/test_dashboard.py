"""A social worker registers hours in the browser; with a real Celery worker on Redis the
manager's dashboard shows them within seconds. The manager recomputes a period and sees
the progress finish."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meerwaarde.accounts.models import Role
from reporting.periods import periods_containing
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.services


def log_in(browser, live_server, role):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    user = UserFactory(role=role)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


def test_hours_registered_in_the_browser_reach_the_dashboard_within_seconds(
    browser, live_server, settings, catalogue, transactional_db, celery_worker_process
):
    settings.REQUIRE_2FA = False
    month = periods_containing(timezone.localdate())[0].key
    manager = log_in(browser, live_server, Role.MANAGER)
    manager.goto(f"/rapportage/?periode={month}")
    expect(manager.get_by_role("heading", level=1)).to_be_visible()

    worker = log_in(browser, live_server, Role.SOCIAL_WORKER)
    worker.get_by_role("link", name="Uren", exact=True).click()
    form = worker.get_by_test_id("hours-form")
    form.get_by_label("Product").select_option(label="1-5 gesprekken")
    form.get_by_role("textbox", name="Uren").fill("1,5")
    form.get_by_role("button", name="Uren registreren").click()
    expect(worker.get_by_text("1,5 uur geregistreerd op")).to_be_visible()
    registered = time.monotonic()

    tile = manager.get_by_test_id("tile-hours")
    deadline = registered + 20
    while time.monotonic() < deadline:
        manager.reload()
        if tile.inner_text().strip() == "1,5":
            break
        time.sleep(0.3)
    expect(tile).to_have_text("1,5")
    assert time.monotonic() - registered < 20


def test_manager_recomputes_a_period_and_sees_it_finish(
    browser, live_server, settings, catalogue, transactional_db, celery_worker_process
):
    settings.REQUIRE_2FA = False
    manager = log_in(browser, live_server, Role.MANAGER)
    manager.get_by_role("link", name="Rapportage", exact=True).click()
    expect(manager.get_by_test_id("period-select")).to_be_visible()
    # A quarter nothing has touched (the current year may be computed by the worker already).
    quarter = f"{timezone.localdate().year - 2}-Q1"
    manager.goto(f"/rapportage/?periode={quarter}")
    expect(manager.get_by_test_id("not-computed")).to_be_visible()
    manager.get_by_test_id("recompute").click()
    # The page reloads itself when the run is done; then the figures are there.
    expect(manager.get_by_test_id("table-monitor")).to_be_visible(timeout=30_000)
    expect(manager.get_by_test_id("not-computed")).to_have_count(0)
