"""The mapping behind the restart test, case by case: a database connection failure
anywhere in a request is the Dutch 503 page with Retry-After, never a 500 or a 400."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from meerwaarde.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(login, make_user):
    browser = login(make_user(role=Role.SOCIAL_WORKER))
    browser.raise_request_exception = False
    return browser


def assert_dutch_503(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    content = response.content.decode()
    assert "Tijdelijk niet beschikbaar" in content and "Traceback" not in content


@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("closed")])
def test_a_view_losing_the_database_answers_503(browser, monkeypatch, error):
    def lost(*args, **kwargs):
        raise error

    monkeypatch.setattr("cases.views.hours.hours_of_worker", lost)
    assert_dutch_503(browser.get(reverse("hours:week")))


def test_loading_the_session_without_a_database_answers_503(browser, monkeypatch):
    def lost(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "load", lost)
    assert_dutch_503(browser.get(reverse("hours:week")))


def test_saving_the_session_without_a_database_answers_503_not_400(browser, monkeypatch):
    """Django turns a failed session save into SessionInterrupted (400); its cause counts."""

    def lost(self, must_create=False):
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError:
            raise UpdateError  # noqa: B904 - as db.SessionStore.save does, context kept

    monkeypatch.setattr(SessionStore, "save", lost)
    assert_dutch_503(browser.get(reverse("hours:week")))


def test_other_errors_stay_a_500(monkeypatch):
    def bug():
        raise ValueError("a programming error")

    monkeypatch.setattr("meerwaarde.views._database_ok", bug)
    response = Client(raise_request_exception=False).get("/health/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
