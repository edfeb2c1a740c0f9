"""The upload page of the hour import and the job page that follows the background task."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import tasks_imports
from cases.models import HourRegistration, ImportBatch, ImportJob, ImportJobStatus
from cases.services import imports
from cases.services.imports import rows as import_rows
from meerwaarde.accounts.models import Role
from meerwaarde.celery import app

UPLOAD_URL = reverse("imports:upload")
HEADER = "datum;medewerker;product;uren;client;kern;soort"


@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


@pytest.fixture
def eager_celery():
    """Tasks run in-process, as in the embedded default (the tests use the real broker)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def admin_user(make_user, catalogue):
    make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    return make_user(
        role=Role.FUNCTIONAL_ADMIN, username="beheer", first_name="Bea", last_name="Heer"
    )


@pytest.fixture
def admin_client(client, login, admin_user):
    return login(admin_user)


def csv_bytes(*rows: str, bom: bool = False) -> bytes:
    text = "\n".join([HEADER, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def good_rows() -> list[str]:
    day = timezone.localdate() - datetime.timedelta(days=2)
    return [f"{day:%d-%m-%Y};jjansen;menes;1,5;;;", f"{day:%Y-%m-%d};jjansen;stacks;0,75;;;"]


def upload(client, content: bytes, *, name="uren.csv", dry_run=False):
    data = {"bestand": SimpleUploadedFile(name, content, content_type="text/csv")}
    if dry_run:
        data["alleen_controleren"] = "on"
    return client.post(UPLOAD_URL, data)


def make_job(user, **fields) -> ImportJob:
    return ImportJob.objects.create(
        file_name="uren.csv", stored_path="/niet/aanwezig.csv", started_by=user, **fields
    )


# --- who may ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_functional_admin_may_use_the_pages(admin_client, admin_user):
    job = make_job(admin_user)
    assert admin_client.get(UPLOAD_URL).status_code == 200
    assert admin_client.get(reverse("imports:job", args=[job.pk])).status_code == 200
    assert admin_client.get(reverse("imports:job_status", args=[job.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.MANAGER])
def test_other_roles_are_refused(client, login, make_user, admin_user, imports_dir, role):
    job = make_job(admin_user)
    login(make_user(role=role))
    for url in (
        UPLOAD_URL,
        reverse("imports:job", args=[job.pk]),
        reverse("imports:job_status", args=[job.pk]),
    ):
        assert client.get(url).status_code == 403
    assert upload(client, csv_bytes(*good_rows())).status_code == 403
    assert ImportJob.objects.count() == 1
    assert not imports_dir.exists() or not any(imports_dir.iterdir())


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client, admin_user):
    job = make_job(admin_user)
    for url in (UPLOAD_URL, reverse("imports:job", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response.url


@pytest.mark.django_db
def test_unknown_job_is_404(admin_client):
    assert admin_client.get(reverse("imports:job", args=[999999])).status_code == 404
    assert admin_client.get(reverse("imports:job_status", args=[999999])).status_code == 404


# --- an upload that completes ----------------------------------------------------------


@pytest.mark.django_db
def test_upload_runs_the_import_and_shows_the_result(
    admin_client, admin_user, imports_dir, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, csv_bytes(*good_rows(), bom=True))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:job", args=[job.pk])
    assert job.status == ImportJobStatus.DONE
    assert job.message == "Geïmporteerd: 2 regels, 2,25 uur."
    assert (job.total_rows, job.processed_rows, job.error_count) == (2, 2, 0)
    assert job.finished_at is not None
    assert job.batch == ImportBatch.objects.get()
    assert job.batch.imported_by == admin_user and job.batch.file_name == "uren.csv"
    assert HourRegistration.objects.filter(created_by=admin_user).count() == 2
    assert list(imports_dir.iterdir()) == []  # the stored file is removed when done

    page = admin_client.get(response.url).content.decode()
    assert "Geïmporteerd: 2 regels, 2,25 uur." in page
    assert 'hx-trigger="every 1s"' not in page
    assert 'data-status="klaar"' in page


@pytest.mark.django_db
def test_upload_queues_a_job_that_the_task_runs_while_the_page_polls(
    admin_client, imports_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(admin_client, csv_bytes(*good_rows()))
    job = ImportJob.objects.get()
    assert len(callbacks) == 1  # the task is sent once the job is committed
    assert job.status == ImportJobStatus.QUEUED and not job.dry_run
    stored = imports_dir / job.stored_path.rsplit("/", 1)[-1]
    assert stored.read_bytes() == csv_bytes(*good_rows())

    page = admin_client.get(response.url).content.decode()
    status_url = reverse("imports:job_status", args=[job.pk])
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    assert "In de wachtrij" in page

    assert tasks_imports.run_import_job(job.pk) == ImportJobStatus.DONE
    partial = admin_client.get(status_url).content.decode()
    assert "Geïmporteerd: 2 regels, 2,25 uur." in partial
    assert "hx-get" not in partial  # polling stops
    assert not stored.exists()
    assert HourRegistration.objects.count() == 2


@pytest.mark.django_db
def test_a_finished_job_is_not_run_twice(
    admin_client, imports_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(admin_client, csv_bytes(*good_rows()))
    job = ImportJob.objects.get()
    imports.run_import_job(job_id=job.pk)
    again = imports.run_import_job(job_id=job.pk)
    assert again.status == ImportJobStatus.DONE
    assert ImportBatch.objects.count() == 1 and HourRegistration.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_upload_checks_and_saves_nothing(
    admin_client, imports_dir, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, csv_bytes(*good_rows()), dry_run=True)
    job = ImportJob.objects.get()
    assert job.dry_run and job.status == ImportJobStatus.DONE
    assert job.message == "Controle geslaagd: 2 regels, 2,25 uur; er is niets opgeslagen."
    assert job.batch is None
    assert not HourRegistration.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_bad_rows_end_the_job_with_every_error_and_its_line(
    admin_client, imports_dir, eager_celery, django_capture_on_commit_callbacks
):
    day = timezone.localdate() - datetime.timedelta(days=2)
    content = csv_bytes(
        f"{day:%d-%m-%Y};jjansen;menes;1;;;",
        f"{day:%d-%m-%Y};niemand;menes;1;;;",
        f"{day:%d-%m-%Y};jjansen;menes;1,1;;;",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, content)
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.message == "Niet geïmporteerd: 2 regels bevatten fouten; er is niets opgeslagen."
    assert job.error_count == 2
    assert [error["line"] for error in job.errors] == [3, 4]
    assert not HourRegistration.objects.exists() and not ImportBatch.objects.exists()

    page = admin_client.get(response.url).content.decode()
    assert "Onbekende medewerker &#x27;niemand&#x27;" in page
    assert re.search(r"<td>4</td><td>Registreer uren in kwartieren", page)


@pytest.mark.django_db
def test_the_job_keeps_the_first_errors_and_says_how_many_there_were(
    admin_client, imports_dir, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_JOB_ERRORS", 2)
    day = timezone.localdate() - datetime.timedelta(days=2)
    content = csv_bytes(*[f"{day:%d-%m-%Y};niemand;menes;1;;;"] * 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, content)
    job = ImportJob.objects.get()
    assert job.error_count == 3 and len(job.errors) == 2
    page = admin_client.get(response.url).content.decode()
    assert "Hieronder staan de eerste 2 van 3 foute regels" in page


# --- progress --------------------------------------------------------------------------


@pytest.mark.django_db
def test_status_partial_shows_progress_without_inline_styles(admin_client, admin_user):
    job = make_job(admin_user, status=ImportJobStatus.RUNNING, total_rows=200, processed_rows=50)
    partial = admin_client.get(reverse("imports:job_status", args=[job.pk])).content.decode()
    assert '<progress class="w-100" value="50" max="200" aria-valuenow="25"' in partial
    assert "50 van ongeveer 200 regels gecontroleerd (25%)." in partial
    assert 'hx-trigger="every 1s"' in partial
    assert "style=" not in partial

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=200)
    partial = admin_client.get(reverse("imports:job_status", args=[job.pk])).content.decode()
    assert "de uren worden opgeslagen" in partial and 'hx-trigger="every 1s"' in partial


@pytest.mark.django_db
def test_progress_is_written_to_the_job_while_the_rows_are_checked(
    admin_client, imports_dir, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_rows, "BATCH_SIZE", 1)
    with django_capture_on_commit_callbacks(execute=False):
        upload(admin_client, csv_bytes(*good_rows()))
    job = ImportJob.objects.get()
    seen = []
    real_import = imports.import_hours_file

    def import_watching_the_job(**kwargs):
        report_progress = kwargs["on_progress"]

        def watch(processed, total):
            report_progress(processed, total)
            seen.append(ImportJob.objects.values_list("processed_rows", "total_rows").get())

        return real_import(**{**kwargs, "on_progress": watch})

    monkeypatch.setattr(imports, "import_hours_file", import_watching_the_job)
    imports.run_import_job(job_id=job.pk)
    assert seen == [(0, 2), (1, 2), (2, 2), (2, 2), (2, 2)]
    assert ImportJob.objects.get().status == ImportJobStatus.DONE


# --- bad uploads: a Dutch message and nothing stored -----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("uren.xlsx", b"PK\x03\x04 excel", "Kies een CSV-bestand (de naam eindigt op .csv)."),
        ("uren.csv", b"", "Het bestand is leeg."),
        ("uren.csv", b"PK\x03\x04\x00\x00 excel", "Dit is geen CSV-bestand"),
        ("uren.csv", "datum;medewerker;product;uren\nCliënt".encode("latin-1"), "geen UTF-8"),
        ("uren.csv", b"datum;medewerker;uren\n", "De verplichte kolom &#x27;product&#x27;"),
        ("uren.csv", b"datum medewerker product uren\n", "gebruik ; of , als scheidingsteken"),
    ],
)
def test_bad_uploads_get_a_dutch_message_and_nothing_is_stored(
    admin_client, imports_dir, name, content, message
):
    response = upload(admin_client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not imports_dir.exists() or list(imports_dir.iterdir()) == []


@pytest.mark.django_db
def test_upload_without_a_file_is_refused(admin_client, imports_dir):
    response = admin_client.post(UPLOAD_URL, {})
    assert "Kies een CSV-bestand." in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_too_large_upload_is_refused(admin_client, imports_dir, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 10)
    response = upload(admin_client, csv_bytes(*good_rows()))
    assert "Het bestand is groter dan 200 MB" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not imports_dir.exists() or list(imports_dir.iterdir()) == []


@pytest.mark.django_db
def test_a_file_imported_before_is_refused_at_upload(
    admin_client, imports_dir, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, csv_bytes(*good_rows()))
    response = upload(admin_client, csv_bytes(*good_rows()), name="nogmaals.csv")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit bestand is al geïmporteerd op" in page and "door Bea Heer" in page
    assert ImportJob.objects.count() == 1 and HourRegistration.objects.count() == 2
    assert list(imports_dir.iterdir()) == []


# --- the list of recent jobs -----------------------------------------------------------


@pytest.mark.django_db
def test_upload_page_lists_recent_jobs_in_constant_queries(
    admin_client, admin_user, make_user, django_assert_max_num_queries
):
    for n in range(3):
        make_job(make_user(role=Role.FUNCTIONAL_ADMIN), message=f"Bericht {n}")
    with django_assert_max_num_queries(12):
        few = admin_client.get(UPLOAD_URL)
    for n in range(15):
        make_job(make_user(role=Role.FUNCTIONAL_ADMIN), message=f"Meer {n}")
    with django_assert_max_num_queries(12):
        many = admin_client.get(UPLOAD_URL)
    assert "Bericht 2" in few.content.decode()
    assert len(many.context["jobs"]) == 18
    assert 'enctype="multipart/form-data"' in many.content.decode()
    assert "Alleen controleren" in many.content.decode()
