import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import HourRegistration, ImportJob
from meerwaarde.accounts.models import Role
from meerwaarde.celery import app
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def eager_celery():
    """The upload's task runs in the server process, as in the embedded default."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def logged_in_admin(page, settings, catalogue, transactional_db, tmp_path, eager_celery):
    settings.REQUIRE_2FA = False
    settings.VAR_DIR = tmp_path
    UserFactory(role=Role.SOCIAL_WORKER, username="jjansen")
    user = UserFactory(role=Role.FUNCTIONAL_ADMIN)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-home")).to_be_visible()
    return page


def test_functional_admin_uploads_a_csv_and_sees_the_result(logged_in_admin, tmp_path):
    page = logged_in_admin
    day = timezone.localdate() - datetime.timedelta(days=1)
    csv_file = tmp_path / "uren-maart.csv"
    csv_file.write_text(
        "datum;medewerker;product;uren;kern\n"
        f"{day:%d-%m-%Y};jjansen;menes;1,5;Hoofddorp\n"
        f"{day:%Y-%m-%d};jjansen;stacks;0.75;\n",
        encoding="utf-8",
    )

    page.get_by_role("link", name="Uren importeren").click()
    expect(page.get_by_role("heading", name="Uren importeren", level=1)).to_be_visible()
    page.get_by_label("CSV-bestand met uren").set_input_files(str(csv_file))
    page.get_by_role("button", name="Bestand inlezen").click()

    expect(page.get_by_role("heading", name="Import van uren-maart.csv")).to_be_visible()
    expect(page.get_by_test_id("job-result")).to_contain_text("Geïmporteerd: 2 regels, 2,25 uur.")
    assert HourRegistration.objects.count() == 2
    assert ImportJob.objects.get().status == "klaar"

    page.get_by_role("link", name="Naar het overzicht van imports").click()
    expect(page.get_by_test_id("recent-jobs")).to_contain_text("uren-maart.csv")


def test_the_job_page_follows_a_queued_import_until_it_is_done(
    page, settings, catalogue, transactional_db, tmp_path
):
    """Without an eager worker the page polls the status (htmx) until the task has run."""
    from cases.services.imports import run_import_job

    settings.REQUIRE_2FA = False
    settings.VAR_DIR = tmp_path
    UserFactory(role=Role.SOCIAL_WORKER, username="jjansen")
    user = UserFactory(role=Role.FUNCTIONAL_ADMIN)
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    day = timezone.localdate() - datetime.timedelta(days=1)
    csv_file = tmp_path / "controle.csv"
    csv_file.write_text(f"datum,medewerker,product,uren\n{day:%d-%m-%Y},jjansen,menes,2\n")

    page.goto("/uren/import/")
    page.get_by_label("CSV-bestand met uren").set_input_files(str(csv_file))
    page.get_by_label("Alleen controleren").check()
    page.get_by_role("button", name="Bestand inlezen").click()
    expect(page.get_by_role("heading", name="Controle van controle.csv")).to_be_visible()

    run_import_job(job_id=ImportJob.objects.get().pk)
    expect(page.get_by_test_id("job-result")).to_contain_text(
        "Controle geslaagd: 1 regel, 2 uur; er is niets opgeslagen."
    )
    assert not HourRegistration.objects.exists()
