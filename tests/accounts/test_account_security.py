"""Issue 13, points 1, 2 and 8: the password alone never links a new authenticator; every
change to an account's way in is recorded with who did it and why, and the user is told;
a password the beheerder set is replaced at the next login; /beheer/ answers 403 to
logged-in users without access instead of sending them round in circles."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from meerwaarde.accounts.models import AccountEvent, AccountEventKind, Role, User
from tests.factories import TEST_PASSWORD, TOTPDeviceFactory

SETUP_URL = reverse("accounts:two_factor_setup")
VERIFY_URL = reverse("accounts:two_factor_verify")
PASSWORD_CHANGE_URL = reverse("accounts:password_change")
NEW_PASSWORD = "Een-nieuw-lang-wachtwoord-42"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_only_login(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def beheerder(make_user):
    return make_user(role=Role.FUNCTIONAL_ADMIN, first_name="Bea", last_name="Beheer")


# --- 1. the set-up page after the password alone ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER, Role.FUNCTIONAL_ADMIN]
)
def test_password_alone_cannot_link_a_second_authenticator(client, make_user, require_2fa, role):
    user = make_user(role=role)
    TOTPDeviceFactory(user=user)
    password_only_login(client, user)

    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    # No secret was handed out and no device was made.
    assert TOTPDevice.objects.filter(user=user).count() == 1

    # Posting a code to the set-up page changes nothing either.
    posted = client.post(SETUP_URL, {"token": "123456"})
    assert posted.status_code == 302 and posted.url.startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.get(reverse("cases:client_list")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_first_authenticator_is_recorded_and_the_user_is_told(client, make_user, require_2fa):
    user = make_user()
    password_only_login(client, user)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP_URL, {"token": current_code(device)})
    assert response.status_code == 302

    kinds = list(AccountEvent.objects.filter(user=user).order_by("id").values_list("kind", "actor"))
    assert kinds == [
        (AccountEventKind.DEVICE_CREATED, user.pk),
        (AccountEventKind.DEVICE_CONFIRMED, user.pk),
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "authenticator-app gekoppeld" in mail.outbox[0].subject


@pytest.mark.django_db
def test_verified_user_can_replace_the_authenticator(client, make_user, require_2fa):
    user = make_user()
    old = TOTPDeviceFactory(user=user, name="Oude telefoon")
    password_only_login(client, user)
    client.post(VERIFY_URL, {"token": current_code(old)})
    assert client.get(reverse("home")).status_code == 200

    page = client.get(SETUP_URL)
    assert page.status_code == 200
    assert "werkt de app die u nu gebruikt niet meer" in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP_URL, {"token": current_code(new)}).status_code == 302

    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    removed = AccountEvent.objects.get(user=user, kind=AccountEventKind.DEVICE_REMOVED)
    assert removed.detail == "Oude telefoon" and removed.actor == user
    assert "De eerder gekoppelde app werkt niet meer" in mail.outbox[-1].body


# --- 1. the beheerder sees and resets devices ------------------------------------


@pytest.mark.django_db
def test_beheerder_sees_devices_and_resets_them_with_a_reason(client, login, beheerder, make_user):
    user = make_user()
    TOTPDeviceFactory(user=user, name="Werktelefoon")
    login(beheerder)
    change_url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(change_url).content.decode()
    assert "Werktelefoon" in page and "Laatst gebruikt" in page

    reset_url = reverse("admin:accounts_user_reset_two_factor", args=[user.pk])
    form = client.get(reset_url)
    assert "kan niet ongedaan worden gemaakt" in form.content.decode()

    without_reason = client.post(reset_url, {"reason": "  "})
    assert without_reason.status_code == 200
    assert "Geef een reden op." in without_reason.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()

    done = client.post(reset_url, {"reason": "Telefoon verloren, gebeld op 3-12"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    event = AccountEvent.objects.get(user=user, kind=AccountEventKind.TWO_FACTOR_RESET)
    assert (event.actor, event.reason, event.detail) == (
        beheerder,
        "Telefoon verloren, gebeld op 3-12",
        "Werktelefoon",
    )
    assert mail.outbox[-1].to == [user.email]
    assert "Bea Beheer" in mail.outbox[-1].body

    # The history is searchable in /beheer/.
    history = client.get(reverse("admin:accounts_accountevent_changelist"), {"q": user.username})
    assert "Telefoon verloren" in history.content.decode()


@pytest.mark.django_db
def test_after_a_reset_the_user_links_a_new_authenticator(client, make_user, require_2fa):
    user = make_user()
    TOTPDeviceFactory(user=user)
    TOTPDevice.objects.filter(user=user).delete()  # what the beheerder's reset leaves
    password_only_login(client, user)
    assert client.get(reverse("home")).url.startswith(SETUP_URL)
    assert client.get(SETUP_URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER])
def test_only_the_beheerder_resets_devices(client, login, make_user, role):
    user = make_user()
    TOTPDeviceFactory(user=user)
    login(make_user(role=role))
    url = reverse("admin:accounts_user_reset_two_factor", args=[user.pk])
    response = client.post(url, {"reason": "poging"}, follow=True)
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert not AccountEvent.objects.filter(user=user).exists()


# --- 2. a password set by the beheerder ------------------------------------------


@pytest.mark.django_db
def test_password_set_by_beheerder_is_recorded_and_must_be_changed(
    client, login, beheerder, make_user, require_2fa
):
    user = make_user()
    device = TOTPDeviceFactory(user=user)
    login(beheerder)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    assert "eindigen" in client.get(url).content.decode()

    no_reason = client.post(
        url,
        {"new_password1": "Tijdelijk-wachtwoord-99", "new_password2": "Tijdelijk-wachtwoord-99"},
    )
    assert "Geef een reden op." in no_reason.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)

    done = client.post(
        url,
        {
            "new_password1": "Tijdelijk-wachtwoord-99",
            "new_password2": "Tijdelijk-wachtwoord-99",
            "reason": "Wachtwoord vergeten, identiteit gecontroleerd",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tijdelijk-wachtwoord-99") and user.must_change_password
    event = AccountEvent.objects.get(user=user, kind=AccountEventKind.PASSWORD_SET_BY_ADMIN)
    assert event.actor == beheerder
    assert event.reason == "Wachtwoord vergeten, identiteit gecontroleerd"
    assert mail.outbox[-1].to == [user.email] and "nieuw wachtwoord" in mail.outbox[-1].subject

    # The user logs in with it, passes the second factor and must choose a new password.
    client.logout()
    client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "Tijdelijk-wachtwoord-99"},
    )
    client.post(VERIFY_URL, {"token": current_code(device)})
    home = client.get(reverse("cases:client_list"))
    assert home.status_code == 302 and home.url.startswith(PASSWORD_CHANGE_URL)
    page = client.get(home.url)
    assert 'data-testid="password-change-required"' in page.content.decode()

    mismatch = client.post(
        PASSWORD_CHANGE_URL,
        {
            "old_password": "Tijdelijk-wachtwoord-99",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD + "x",
        },
    )
    assert mismatch.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password

    changed = client.post(
        PASSWORD_CHANGE_URL,
        {
            "old_password": "Tijdelijk-wachtwoord-99",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert client.get(reverse("cases:client_list")).status_code == 200
    assert AccountEvent.objects.filter(user=user, kind=AccountEventKind.PASSWORD_CHANGED).exists()


@pytest.mark.django_db
def test_new_account_made_by_the_beheerder_changes_its_password_first(client, login, beheerder):
    login(beheerder)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuwewerker",
            "email": "nieuw@meerwaarde.invalid",
            "password1": "Start-wachtwoord-2026",
            "password2": "Start-wachtwoord-2026",
            "role": Role.SOCIAL_WORKER,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="nieuwewerker")
    assert user.must_change_password
    assert AccountEvent.objects.filter(
        user=user, actor=beheerder, kind=AccountEventKind.PASSWORD_SET_BY_ADMIN
    ).exists()


@pytest.mark.django_db
def test_beheerder_lifts_a_lockout_with_a_reason(client, login, beheerder, make_user):
    user = make_user()
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": user.username, "password": "verkeerd-wachtwoord"},
        )
    assert AccessAttempt.objects.filter(username=user.username).exists()
    login(beheerder)
    change = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert "Geblokkeerd na te veel mislukte inlogpogingen" in change

    url = reverse("admin:accounts_user_lift_lockout", args=[user.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert AccessAttempt.objects.filter(username=user.username).exists()
    assert client.post(url, {"reason": "Gebeld, typfout"}).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    event = AccountEvent.objects.get(user=user, kind=AccountEventKind.LOCKOUT_LIFTED)
    assert (event.actor, event.reason) == (beheerder, "Gebeld, typfout")
    assert "blokkade opgeheven" in mail.outbox[-1].subject


# --- 8. /beheer/ for a logged-in user without access --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER])
def test_beheer_answers_403_without_a_redirect_loop(client, login, make_user, role):
    login(make_user(role=role))
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "Geen toegang" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_of_beheer_goes_to_the_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_time_is_local_for_device_listing():
    # The device table shows local time (Europe/Amsterdam), not UTC.
    from meerwaarde.accounts.admin import _local

    moment = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
    assert _local(moment) == "01-07-2026 12:00"
