from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from meerwaarde.accounts.models import Role
from tests.factories import TEST_PASSWORD, TOTPDeviceFactory

LOGIN_URL = reverse("accounts:login")


def post_login(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_login_page_is_dutch(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Gebruikersnaam" in content and "Wachtwoord" in content


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


@pytest.mark.django_db
def test_wrong_password_gets_a_dutch_message(client, make_user):
    user = make_user()
    response = post_login(client, user.username, "verkeerd-wachtwoord")
    assert response.status_code == 200
    assert "combinatie van gebruikersnaam en wachtwoord is onbekend" in response.content.decode()


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account(client, make_user):
    user = make_user()
    for _ in range(4):
        assert post_login(client, user.username, "verkeerd-wachtwoord").status_code == 200
    locked = post_login(client, user.username, "verkeerd-wachtwoord")
    assert locked.status_code == 429
    assert "Account tijdelijk geblokkeerd" in locked.content.decode()
    # Even the right password does not get in during the hour.
    again = post_login(client, user.username, TEST_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_four_wrong_passwords_then_right_one_logs_in(client, make_user):
    user = make_user()
    for _ in range(4):
        post_login(client, user.username, "verkeerd-wachtwoord")
    response = post_login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("Kort-wachtw")  # 11 characters
    assert any(e.code == "password_too_short" for e in excinfo.value.error_list)
    validate_password("Lang-genoeg-wachtwoord-7")


@pytest.mark.django_db
def test_sessions_expire_after_thirty_idle_minutes(client, login, make_user):
    login(make_user())
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    idle_left = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < idle_left <= timedelta(minutes=30)

    # Thirty minutes without a request: the session is gone.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


@pytest.mark.django_db
def test_first_login_requires_setting_up_an_authenticator(client, make_user, settings):
    settings.REQUIRE_2FA = True
    user = make_user()
    response = post_login(client, user.username, TEST_PASSWORD)
    home = client.get(response.url)
    assert home.status_code == 302
    assert home.url.startswith(reverse("accounts:two_factor_setup"))

    setup_page = client.get(home.url)
    assert "Tweestapsverificatie instellen" in setup_page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(
        home.url, {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "Deze code klopt niet" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    # Right after a wrong code the device is throttled (exponential back-off).
    throttled = client.post(home.url, {"token": current_code(device)})
    assert "Te veel onjuiste codes" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    confirmed = client.post(home.url, {"token": current_code(device)})
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_returning_user_enters_a_code(client, make_user, settings):
    settings.REQUIRE_2FA = True
    user = make_user()
    device = TOTPDeviceFactory(user=user)
    post_login(client, user.username, TEST_PASSWORD)
    home = client.get(reverse("home"))
    assert home.url.startswith(reverse("accounts:two_factor_verify"))

    bad = client.post(home.url, {"token": "12ab"})
    assert "Vul de zes cijfers in" in bad.content.decode()
    assert client.get(reverse("home")).status_code == 302

    client.post(home.url, {"token": current_code(device)})
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_two_factor_can_be_switched_off_for_the_demo(client, make_user, settings):
    settings.REQUIRE_2FA = False
    user = make_user()
    post_login(client, user.username, TEST_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_next_parameter_cannot_send_users_off_site(client, make_user, settings):
    settings.REQUIRE_2FA = True
    user = make_user()
    device = TOTPDeviceFactory(user=user)
    post_login(client, user.username, TEST_PASSWORD)
    url = reverse("accounts:two_factor_verify") + "?next=https://evil.example/"
    response = client.post(url, {"token": current_code(device)})
    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.django_db
def test_logout_ends_the_session(client, login, make_user):
    login(make_user())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_admin_login_goes_through_the_application_login(client):
    response = client.get(reverse("admin:login") + "?next=/beheer/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER])
def test_only_the_functional_admin_reaches_the_admin(client, login, make_user, role):
    login(make_user(role=role))
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403  # the Dutch error page, not a loop between logins
    client.logout()
    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    assert client.get(reverse("admin:index")).status_code == 200
