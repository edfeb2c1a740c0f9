"""OWASP ASVS 4.0 level 2 controls, one test (or more) per control. docs/security.md lists
every control, how it is built and which test covers it; controls tested elsewhere
(tests/accounts/test_login.py, tests/test_security_settings.py) are pointed to there."""

import datetime
import logging
import re
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from cases.choices import HourKind
from cases.models import Case, HourRegistration
from meerwaarde.accounts.models import Role
from meerwaarde.middleware import AbsoluteSessionLifetimeMiddleware
from tests.factories import TEST_PASSWORD, TOTPDeviceFactory

from .test_access_matrix import ADMIN_URLS, MATRIX
from .world import ROLES, ask, url_of

ROOT = Path(__file__).resolve().parent.parent.parent
LOGIN_URL = reverse("accounts:login")
STAFF_ROLES = [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER, Role.FUNCTIONAL_ADMIN]


def html_pages(client, world, role):
    """Every HTML page of the matrix (and the admin pages) that `role` gets with a GET."""
    for name, expect in MATRIX.items():
        if expect.method == "get" and expect.answer_for(role) == 200:
            response = ask(client, world, role, name, "get", url_of(world, name, expect))
            if response["Content-Type"].startswith("text/html"):
                yield name, response
    for name, answers in ADMIN_URLS.items():
        if answers[ROLES.index(role)] == 200:
            yield name, ask(client, world, role, name, "get", reverse(name))


# --- V3 session management -------------------------------------------------------------


def test_idle_timeout_is_thirty_minutes_and_renewed_on_every_request():
    """The behaviour (an idle session is gone) is tested in tests/accounts/test_login.py::
    test_sessions_expire_after_thirty_idle_minutes."""
    assert django_settings.SESSION_COOKIE_AGE <= 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_session_ends_after_the_absolute_lifetime_however_active(client, login, make_user):
    assert django_settings.SESSION_ABSOLUTE_LIFETIME_SECONDS == 10 * 60 * 60
    login(make_user())
    assert client.get(reverse("home")).status_code == 200
    started = client.session[AbsoluteSessionLifetimeMiddleware.SESSION_KEY]
    assert abs(started - time.time()) < 60

    # Nine hours later, however busy, the user is still in.
    session = client.session
    session[AbsoluteSessionLifetimeMiddleware.SESSION_KEY] = int(time.time()) - 9 * 3600
    session.save()
    assert client.get(reverse("home")).status_code == 200

    # Past ten hours: logged out, sent to the login page with a Dutch message.
    session = client.session
    session[AbsoluteSessionLifetimeMiddleware.SESSION_KEY] = int(time.time()) - 10 * 3600 - 1
    session.save()
    response = client.get(reverse("cases:client_list"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
    page = client.get(response.url).content.decode()
    assert "automatisch uitgelogd" in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_cookies_are_secure_httponly_and_samesite(client, make_user, settings):
    """Production values (Secure) are asserted in tests/test_security_settings.py::
    test_production_defaults_are_safe; here the cookies a real login sets."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    user = make_user()
    client.get(LOGIN_URL)
    response = client.post(LOGIN_URL, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    for cookie in (session_cookie, csrf_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, login, make_user):
    login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_cached(as_role, world):
    client = as_role(Role.SOCIAL_WORKER)
    response = client.get(reverse("cases:client_detail", args=[world.objects["client"].pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# --- V4 access control / V13: CSRF on every form -----------------------------------------

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_post_form_carries_a_csrf_token(role, as_role, world):
    client = as_role(role)
    forms_seen = 0
    missing = []
    for name, response in html_pages(client, world, role):
        html = response.content.decode()
        for attributes, body in FORM.findall(html):
            if re.search(r"method\s*=\s*[\"']?post", attributes, re.IGNORECASE):
                forms_seen += 1
                if "csrfmiddlewaretoken" not in body:
                    missing.append(name)
        # htmx requests send the token as a header, set once on <body>.
        if "hx-post" in html:
            assert "X-CSRFToken" in html, name
    assert forms_seen >= 1  # every page has at least the logout form
    assert not missing, f"Formulier zonder CSRF-token op: {sorted(set(missing))}"


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    worker = world.users[Role.SOCIAL_WORKER]
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDeviceFactory(user=worker).persistent_id
    session.save()
    count = HourRegistration.objects.count()
    response = client.post(
        reverse("hours:add"),
        {
            "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "product": world.objects["case"].product_id,
            "kind": HourKind.COORDINATION,
            "hours": "1",
        },
    )
    assert response.status_code == 403
    assert "Traceback" not in response.content.decode()
    assert HourRegistration.objects.count() == count


# --- V2 authentication -----------------------------------------------------------------


@pytest.mark.django_db
def test_totp_is_required_on_every_page_before_anything_else(client, login, world, settings):
    """The set-up and code flows: tests/accounts/test_login.py::
    test_first_login_requires_setting_up_an_authenticator and
    ::test_returning_user_enters_a_code."""
    settings.REQUIRE_2FA = True
    role = Role.SOCIAL_WORKER
    login(world.users[role], verified=False)
    checked = 0
    for name, expect in MATRIX.items():
        if name.startswith(("accounts:", "api:")) or name == "health":
            continue  # the login and TOTP pages themselves; the API uses tokens
        if expect.answer_for(role) in (200, 302, 400):
            response = ask(client, world, role, name, expect.method, url_of(world, name, expect))
            assert response.status_code == 302, name
            assert response.url.startswith(
                (reverse("accounts:two_factor_setup"), reverse("accounts:two_factor_verify"))
            ), name
            checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_lockout_is_per_account_not_per_address(client, make_user):
    """Five failures lock the account for an hour: tests/accounts/test_login.py::
    test_five_wrong_passwords_lock_the_account. Changing address does not help."""
    user = make_user()
    for number in range(5):
        client.post(
            LOGIN_URL,
            {"username": user.username, "password": "verkeerd"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )
    response = client.post(
        LOGIN_URL, {"username": user.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_policy(make_user):
    """At least 12 characters (tests/accounts/test_login.py::
    test_passwords_need_twelve_characters), not a common or all-numeric password and not
    like the user's own name."""
    user = make_user(username="jvandenberg", first_name="Johanna", last_name="Vandenberg")
    for weak, code in (
        ("Kort-wachtw", "password_too_short"),
        ("123456789012", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
        ("jvandenberg2026", "password_too_similar"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            validate_password(weak, user=user)
        assert code in [error.code for error in excinfo.value.error_list], weak
    validate_password("Paars-fietspad-wolk-81", user=user)


# --- V14 configuration: headers on every page ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.FUNCTIONAL_ADMIN])
def test_every_page_sends_csp_frame_and_referrer_headers_and_no_inline_code(role, as_role, world):
    client = as_role(role)
    pages = 0
    for name, response in html_pages(client, world, role):
        pages += 1
        csp = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, name
        assert "frame-ancestors 'none'" in csp, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        html = response.content.decode()
        if name.startswith("admin:"):
            continue  # Django's admin templates are upstream code; the CSP still applies
        # Data for a script may sit in <script type="application/json">: never executed.
        inline = re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html)
        assert not inline, f"inline script: {name}"
        assert not re.search(r"\sstyle\s*=", html), f"inline style: {name}"
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", html), f"event handler: {name}"
    assert pages >= 5


@pytest.mark.django_db
def test_hsts_and_https_redirect_under_production_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client = Client()  # a fresh handler reads the settings
    plain = client.get(LOGIN_URL)
    assert plain.status_code == 301 and plain.url.startswith("https://")
    response = client.get(LOGIN_URL, secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


# --- V8 data protection: no personal data in URLs or logs --------------------------------


def test_web_server_logs_paths_without_query_strings():
    """Search forms send a name or birth date as a query string (see docs/security.md for
    why they stay GET): the access log of gunicorn must log the path only."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    (command,) = [line for line in dockerfile.splitlines() if "--access-logformat" in line]
    assert "%(U)s" in command
    assert "%(r)s" not in command and "%(q)s" not in command


@pytest.mark.django_db
def test_request_log_lines_carry_no_query_string(as_role, caplog):
    client = as_role(Role.SOCIAL_WORKER)
    caplog.set_level(logging.DEBUG)
    client.get("/bestaat-niet/?q=Bouzid+14-03-1984")
    assert caplog.records, "the 404 is logged"
    assert "Bouzid" not in caplog.text and "1984" not in caplog.text


def _form_hidden_inputs(html: str) -> dict:
    """Hidden inputs of a page (such as a double-submit token), except the CSRF token."""
    found = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'type="hidden"' in tag and "csrfmiddlewaretoken" not in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                found[name.group(1)] = value.group(1) if value else ""
    return found


@pytest.mark.django_db
def test_intake_and_hour_registration_log_no_personal_data(as_role, world, catalogue, caplog):
    client = as_role(Role.SOCIAL_WORKER)
    worker = world.users[Role.SOCIAL_WORKER]
    product = catalogue["1-5-gesprekken"]
    caplog.set_level(logging.DEBUG)
    intake_page = client.get(reverse("cases:intake"))
    data = {
        **_form_hidden_inputs(intake_page.content.decode()),
        "first_name": "Wilhelmina",
        "last_name": "Zwanenburg",
        "birth_date": "1961-07-23",
        "postcode": "2132 AB",
        "house_number": "12",
        "street": "Kruisweg",
        "city": "Hoofddorp",
        "lives_in_haarlemmermeer": "on",
        "product": product.pk,
        "confirmed_criteria": list(product.judgement_criteria),
        "referral_source": "huisarts",
        "question": "Zorgen over schulden.",
        "life_domains": ["financien"],
        "team": worker.teams.get().pk,
        "responsible_worker": worker.pk,
        "start_status": "intake",
        "registered_on": datetime.date.today().isoformat(),
        "consent_registration": "on",
    }
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(client__last_name="Zwanenburg")

    hours_page = client.get(reverse("hours:add"))
    response = client.post(
        reverse("hours:add"),
        {
            **_form_hidden_inputs(hours_page.content.decode()),
            "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "product": product.pk,
            "case": case.pk,
            "kind": HourKind.DIRECT,
            "hours": "1,5",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert HourRegistration.objects.filter(case=case).exists()
    # A page that logs (a 404) with the client's data in the request.
    client.get(f"/trajecten/{case.pk}00/?naam=Zwanenburg")

    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    for personal in ("Wilhelmina", "Zwanenburg", "1961-07-23", "23-07-1961", "Kruisweg"):
        assert personal not in logged


# --- V7 errors --------------------------------------------------------------------------


@pytest.mark.django_db
def test_server_error_page_is_generic_without_a_stack_trace(login, make_user, monkeypatch):
    assert django_settings.DEBUG is False

    def broken(*args, **kwargs):
        raise RuntimeError("geheim-detail uit de database")

    monkeypatch.setattr("home.views.render", broken)
    client = Client(raise_request_exception=False)
    user = make_user()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDeviceFactory(user=user).persistent_id
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="nl">' in html
    for leak in ("geheim-detail", "Traceback", "RuntimeError", "home/views.py"):
        assert leak not in html
