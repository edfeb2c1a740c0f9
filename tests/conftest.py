import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from meerwaarde.accounts.models import Role

from .factories import TOTPDeviceFactory, UserFactory


@pytest.fixture
def make_user(db):
    def make(role=Role.SOCIAL_WORKER, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def login(client):
    """Logs a user in as the real flow would: password and the second factor passed."""

    def do_login(user, *, verified: bool = True):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if verified:
            device = TOTPDeviceFactory(user=user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return do_login


@pytest.fixture(params=[Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER, Role.FUNCTIONAL_ADMIN])
def any_role(request):
    return request.param


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker process on the test Redis, using the test database.

    Tests that use it need `transactional_db`: the worker sees only committed rows."""
    from django.db import connection

    from meerwaarde.celery import app

    database_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {**os.environ, "DATABASE_URL": f"{database_url}/{connection.settings_dict['NAME']}"}
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    node = f"test-{os.getpid()}@localhost"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "meerwaarde",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                node,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Celery worker did not start:\n" + log_path.read_text())
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the real reference data (catalogue, areas), loaded
    once; each test's transaction rolls back its own changes."""
    from catalogue.services import load_areas, load_catalogue
    from meerwaarde.outbox import services as outbox
    from reporting.reference_data import load_indicators
    from volunteers.reference_data import load_screening_reference

    consumer = outbox._consumer
    # No kick while loading: with in-process tasks (SQLite run, no broker) it would roll up
    # the current year before any test, on PostgreSQL it only queues a message on Redis.
    outbox.set_consumer(None)
    try:
        with django_db_blocker.unblock():
            load_catalogue()
            load_areas()
            load_screening_reference()
            load_indicators()
            # Loading budgets recorded changes; tests start from a clean outbox.
            from meerwaarde.outbox.models import Change
            from reporting.models import DirtyPeriod

            Change.objects.all().delete()
            DirtyPeriod.objects.all().delete()
    finally:
        outbox.set_consumer(consumer)


@pytest.fixture
def kicks(monkeypatch):
    """The kicks the outbox sends after commit, counted instead of reaching reporting."""
    sent: list[int] = []
    monkeypatch.setattr("meerwaarde.outbox.services._consumer", lambda: sent.append(1))
    return sent


@pytest.fixture
def catalogue(db):
    """The real catalogue, as loaded from the data file by `make run` and deployments.
    Transactional tests (browser, worker) flush the database, so reload when needed."""
    from catalogue.models import Product
    from catalogue.services import load_areas, load_catalogue

    if Product.objects.count() != 43:
        from volunteers.reference_data import load_screening_reference

        load_catalogue()
        load_areas()
        load_screening_reference()
    from reporting.models import Indicator

    if not Indicator.objects.exists():
        from reporting.reference_data import load_indicators

        load_indicators()
    return {product.slug: product for product in Product.objects.all()}
