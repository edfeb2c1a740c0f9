import re

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import TOTPDeviceFactory


@pytest.fixture
def browser():
    """A separate browser (own cookies, own session) logged in with the second factor —
    two of them are two people, or two tabs of one, working at the same time."""

    def open_browser(user) -> Client:
        browser = Client()
        browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        device = TOTPDeviceFactory(user=user)
        session = browser.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return browser

    return open_browser


def hidden_value(html: str, name: str) -> str:
    """The value of the hidden field `name` as the rendered page has it."""
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name} on the page"
    return match.group(1)


@pytest.fixture
def no_rollup_messages(monkeypatch):
    """Registrations still mark their periods dirty, but send no roll-up message: a Celery
    worker left running by another test (session-scoped) must not recompute while this
    test dumps the database or flushes it at teardown (TRUNCATE against a running roll-up
    deadlocks). The roll-up itself is tested in test_redis_down and tests/reporting."""
    monkeypatch.setattr("reporting.consumer.enqueue_processing", lambda: False)
