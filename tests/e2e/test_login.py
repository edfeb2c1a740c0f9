import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD
from meerwaarde.accounts.models import Role

HOME_INTRO = {
    Role.SOCIAL_WORKER: "Startpagina sociaal werker",
    Role.COORDINATOR: "Startpagina coördinator",
    Role.MANAGER: "Startpagina manager",
    Role.FUNCTIONAL_ADMIN: "Startpagina functioneel beheerder",
}


def fill_login(page, username, password):
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_demo_account_logs_in_to_its_own_home_page(page, settings, catalogue, account):
    settings.REQUIRE_2FA = False  # as in the embedded demo
    call_command("load_demo_data", force=True)
    fill_login(page, account.username, DEMO_PASSWORD)
    expect(page.get_by_test_id("role-home")).to_contain_text(HOME_INTRO[account.role])
    expect(page.get_by_test_id("current-user")).to_contain_text(str(account.role.label))
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/account/inloggen/"))


@pytest.mark.django_db(transaction=True)
def test_a_new_user_sets_up_two_factor_login_in_the_browser(page, settings, catalogue):
    settings.REQUIRE_2FA = True
    call_command("load_demo_data", force=True)
    fill_login(page, "manager", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.get_by_alt_text("QR-code voor de authenticator-app")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="manager", confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("Code uit de authenticator-app").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_test_id("role-home")).to_contain_text("Startpagina manager")


@pytest.mark.django_db(transaction=True)
def test_five_wrong_passwords_show_the_dutch_lock_message(page, settings, catalogue):
    settings.REQUIRE_2FA = False
    call_command("load_demo_data", force=True)
    for _ in range(5):
        fill_login(page, "sociaalwerker", "niet-het-goede-wachtwoord")
    expect(page.get_by_test_id("locked")).to_contain_text("een uur geblokkeerd")
    fill_login(page, "sociaalwerker", DEMO_PASSWORD)
    expect(page.get_by_test_id("locked")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_password_alone_cannot_link_a_new_app_and_a_reset_password_is_replaced(
    page, settings, catalogue
):
    """Issue 13, points 1 and 2, as a user meets them in the browser."""
    from meerwaarde.accounts import services
    from meerwaarde.accounts.models import User

    settings.REQUIRE_2FA = True
    call_command("load_demo_data", force=True)
    worker = User.objects.get(username="sociaalwerker")
    device = TOTPDevice.objects.create(user=worker, name="Werktelefoon", confirmed=True)

    # Password only, then straight to the set-up page: the code page answers instead.
    fill_login(page, "sociaalwerker", DEMO_PASSWORD)
    page.goto("/account/tweestaps/instellen/")
    expect(page).to_have_url(re.compile(r"/account/tweestaps/controleren/"))
    expect(page.get_by_alt_text("QR-code voor de authenticator-app")).to_have_count(0)
    assert TOTPDevice.objects.filter(user=worker).count() == 1

    # The beheerder sets a new password: after the code the user must choose their own.
    services.set_password_by_admin(
        actor=User.objects.get(username="beheerder"),
        user=worker,
        password="Tijdelijk-wachtwoord-77",
        reason="Wachtwoord vergeten",
    )
    page.goto("/account/inloggen/")
    fill_login(page, "sociaalwerker", "Tijdelijk-wachtwoord-77")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("Code uit de authenticator-app").fill(code)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_test_id("password-change-required")).to_be_visible()
    page.locator("input[name=old_password]").fill("Tijdelijk-wachtwoord-77")
    page.locator("input[name=new_password1]").fill("Mijn-eigen-wachtwoord-2026")
    page.locator("input[name=new_password2]").fill("Mijn-eigen-wachtwoord-2026")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_test_id("role-home")).to_contain_text("Startpagina sociaal werker")
    worker.refresh_from_db()
    assert not worker.must_change_password
