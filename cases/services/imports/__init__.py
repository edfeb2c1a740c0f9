"""Bulk import of staff hours from a CSV file: the `import_hours` command and the upload
page of the functioneel beheerder.

All or nothing, in bounded memory, so a file of a million rows is fine: one streaming pass
inside one transaction checks every row with the rules of a single registration and writes
each good batch as soon as it is checked (COPY on PostgreSQL). After the first bad row nothing
more is written, but every row is still checked so every bad line is reported (line numbers of
the file, the header is line 1); then the transaction rolls back and nothing is saved. A dry run
only checks.
Nothing but the current batch of rows is held in memory, plus small caches (users,
products, kernen, closed periods) and the running total per medewerker and day.

The file is read in `reading` (lines, header, row errors) and its rows checked in `rows`
(with `cases.hour_rules`); this module writes them and runs the upload page's jobs.
"""

import codecs
import datetime
import hashlib
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.hour_rules import format_hours
from cases.models import HourRegistration, ImportBatch, ImportJob, ImportJobStatus
from meerwaarde.audit.bulk_history import id_ranges, log_batch
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm

from .reading import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    HourImportRefused,
    RowError,
    _ErrorSink,
    file_fingerprint,
    format_count,
    header_problems,
)
from .rows import BATCH_SIZE, _Row, _RowChecker

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "HourImportRefused",
    "ImportResult",
    "RowError",
    "format_count",
    "format_hours",
    "header_problems",
    "import_hours_file",
    "previous_import",
    "run_import_job",
    "start_import_job",
]

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# The upload page keeps this many error lines on the job; the command prints them all.
MAX_JOB_ERRORS = 1_000


@dataclass
class ImportResult:
    row_count: int
    total_hours: Decimal
    dry_run: bool
    batch: ImportBatch | None = None
    dates: set[datetime.date] = field(default_factory=set)
    product_ids: set[int] = field(default_factory=set)

    @property
    def summary(self) -> str:
        rows = format_count(self.row_count)
        hours = format_hours(self.total_hours)
        if self.dry_run:
            return ngettext(
                "Controle geslaagd: %(rows)s regel, %(hours)s uur; er is niets opgeslagen.",
                "Controle geslaagd: %(rows)s regels, %(hours)s uur; er is niets opgeslagen.",
                self.row_count,
            ) % {"rows": rows, "hours": hours}
        return ngettext(
            "Geïmporteerd: %(rows)s regel, %(hours)s uur.",
            "Geïmporteerd: %(rows)s regels, %(hours)s uur.",
            self.row_count,
        ) % {"rows": rows, "hours": hours}


# --- importing -------------------------------------------------------------------------


def _already_imported_message(batch: ImportBatch) -> str:
    at = timezone.localtime(batch.imported_at)
    who = (
        batch.imported_by.get_full_name() or batch.imported_by.username
        if batch.imported_by_id
        else _("onbekend")
    )
    return ngettext(
        "Dit bestand is al geïmporteerd op %(date)s om %(time)s door %(user)s (als "
        "'%(file)s', %(rows)s regel); het wordt niet nog eens ingelezen.",
        "Dit bestand is al geïmporteerd op %(date)s om %(time)s door %(user)s (als "
        "'%(file)s', %(rows)s regels); het wordt niet nog eens ingelezen.",
        batch.row_count,
    ) % {
        "date": f"{at:%d-%m-%Y}",
        "time": f"{at:%H:%M}",
        "user": who,
        "file": batch.file_name,
        "rows": format_count(batch.row_count),
    }


def previous_import(checksum: str) -> ImportBatch | None:
    return ImportBatch.objects.select_related("imported_by").filter(checksum=checksum).first()


COPY_COLUMNS = (
    "worker_id",
    "date",
    "hours",
    "product_id",
    "kind",
    "kern_id",
    "pc4",
    "client_reference",
    "note",
    "import_batch_id",
    "created_by_id",
    "created_at",
    "updated_at",
)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _copy_value(value) -> str:
    """One value in COPY's text format; text typed in the file is escaped."""
    if value is None:
        return _COPY_NULL
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _log_batch_history(batch: ImportBatch, *, imported_by) -> None:
    """The rows go in with COPY or bulk_create, past auditlog's signals: one history entry
    per batch names them (their ids), so imported hours are in the history too."""
    rows = HourRegistration.objects.filter(import_batch=batch).order_by()
    ids = rows.values_list("pk", flat=True)
    log_batch(
        batch,
        changes={"row_count": batch.row_count, "hour_registrations": id_ranges(ids)},
        actor=imported_by,
    )


def _copy_rows(rows: list[_Row], *, batch: ImportBatch, imported_by) -> None:
    """PostgreSQL: stream a batch with COPY (no model objects; the checks ran already). The
    batch is written as one block of COPY text: formatting row by row through the driver's
    adapters cost more than the database's own work."""
    now = timezone.now().isoformat()
    created_by = _copy_value(imported_by.pk if imported_by is not None else None)
    # After the row's own columns: pc4 and note (empty), batch, created_by, created/updated.
    tail = f"\t\t{batch.pk}\t{created_by}\t{now}\t{now}\n"
    text = "".join(
        "\t".join(
            (
                str(row.worker_id),
                row.date.isoformat(),
                _copy_value(row.hours),
                str(row.product_id),
                _copy_value(row.kind),
                _copy_value(row.kern_id),
                "",
                _copy_value(row.client_reference),
            )
        )
        + tail
        for row in rows
    )
    statement = f"COPY {HourRegistration._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(text)


def _refuse_if_wrong(errors: "_ErrorSink", rows: int) -> None:
    if errors.count:
        raise errors.refusal()
    if rows == 0:
        raise HourImportRefused(_("Het bestand bevat alleen een kopregel en geen regels met uren."))


def import_hours_file(
    *,
    path: Path | str,
    file_name: str = "",
    imported_by=None,
    dry_run: bool = False,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Imports the hours in a CSV file, all or nothing.

    Raises HourImportRefused (a ValidationError) when the file was imported before or any
    row is wrong; every bad row goes to `on_error` as it is found (or, without it, onto
    the exception). `on_progress(rows_checked, rows_expected)` is called after every batch.
    A dry run checks everything and saves nothing."""
    path = Path(path)
    checksum, line_count = file_fingerprint(path)
    if line_count == 0:
        raise HourImportRefused(_("Het bestand is leeg."))
    if (earlier := previous_import(checksum)) is not None:
        raise HourImportRefused(_already_imported_message(earlier))

    errors = _ErrorSink(on_error)
    checker = _RowChecker(today=timezone.localdate())
    expected_rows = max(line_count - 1, 0)
    progress = None
    if on_progress is not None:
        on_progress(0, expected_rows)

        def progress(rows: int) -> None:
            on_progress(rows, max(rows, expected_rows))

    if dry_run:
        checked = checker.scan(path, errors=errors, on_progress=progress)
        _refuse_if_wrong(errors, checked.rows)
        if on_progress is not None:
            on_progress(checked.rows, checked.rows)  # the estimate counted blank lines too
        return ImportResult(
            row_count=checked.rows,
            total_hours=checked.total_hours,
            dry_run=True,
            dates=checked.dates,
            product_ids=checked.product_ids,
        )

    # One pass, inside one transaction: each good batch is written as soon as it is checked;
    # after the first bad row nothing more is written but every row is still checked, and
    # any error rolls the whole import back. The 24-hour rule counts the batches already
    # written, and the file must not change while it is read.
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                file_name=(file_name or path.name)[:255],
                checksum=checksum,
                row_count=0,
                imported_by=imported_by,
            )

            def insert(rows: list[_Row]) -> None:
                if connection.vendor == "postgresql":
                    _copy_rows(rows, batch=batch, imported_by=imported_by)
                    return
                HourRegistration.objects.bulk_create(
                    [
                        HourRegistration(
                            worker_id=row.worker_id,
                            date=row.date,
                            hours=row.hours,
                            product_id=row.product_id,
                            kind=row.kind,
                            kern_id=row.kern_id,
                            client_reference=row.client_reference,
                            import_batch=batch,
                            created_by=imported_by,
                        )
                        for row in rows
                    ],
                    batch_size=BATCH_SIZE,
                )

            digest = hashlib.sha256()
            inserted = checker.scan(
                path, errors=errors, on_rows=insert, on_progress=progress, digest=digest
            )
            _refuse_if_wrong(errors, inserted.rows)
            if digest.hexdigest() != checksum:
                raise HourImportRefused(
                    _("Het bestand is tijdens het inlezen gewijzigd; er is niets opgeslagen.")
                )
            ImportBatch.objects.filter(pk=batch.pk).update(row_count=inserted.rows)
            batch.row_count = inserted.rows
            _log_batch_history(batch, imported_by=imported_by)
            record_change(source=HourRegistration, dates=inserted.dates)
    except IntegrityError:
        # Someone imported the same file at the same moment: the checksum is unique.
        if (earlier := previous_import(checksum)) is not None:
            raise HourImportRefused(_already_imported_message(earlier)) from None
        raise
    if on_progress is not None:
        on_progress(inserted.rows, inserted.rows)
    result = ImportResult(
        row_count=inserted.rows,
        total_hours=inserted.total_hours,
        dry_run=False,
        dates=inserted.dates,
        product_ids=inserted.product_ids,
    )
    result.batch = batch
    return result


# --- the upload page: store the file, run it as a background job ------------------------


def imports_folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_upload(uploaded_file, target: Path) -> str:
    """Copies the upload in blocks, refusing binary or non-UTF-8 content; returns the
    SHA-256 of the bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(target, "wb") as out:
        for block in uploaded_file.chunks():
            if b"\x00" in block:
                raise ValidationError(
                    _(
                        "Dit is geen CSV-bestand (het bevat binaire gegevens, bijvoorbeeld een "
                        "Excel-werkmap). Sla het in Excel op als 'CSV UTF-8'."
                    )
                )
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                raise ValidationError(_not_utf8_message()) from None
            digest.update(block)
            out.write(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ValidationError(_not_utf8_message()) from None
    return digest.hexdigest()


def _not_utf8_message() -> str:
    return _(
        "Het bestand is geen UTF-8-tekst. Sla het in Excel op als 'CSV UTF-8 (door "
        "lijstscheidingsteken gescheiden)' en probeer het opnieuw."
    )


def start_import_job(
    *, uploaded_file, dry_run: bool, started_by, queue: Callable[[int], object]
) -> ImportJob:
    """Checks and stores an uploaded file and queues its import; the job page follows it.
    `queue` hands the job's id to a worker after commit: the caller passes the task's
    `delay` (cases/tasks_imports.py sits above this module, which never imports it).

    Raises ValidationError (nothing stored) for a file that is not a UTF-8 CSV with the
    required columns, is empty, larger than 200 MB, or was imported before. `started_by`
    needs cases.import_hours (the command line's import_hours_file runs as the system)."""
    require_perm(started_by, "cases.import_hours")
    file_name = os.path.basename(uploaded_file.name or "")[:255]
    if not file_name.lower().endswith(".csv"):
        raise ValidationError(_("Kies een CSV-bestand (de naam eindigt op .csv)."))
    if not uploaded_file.size:
        raise ValidationError(_("Het bestand is leeg."))
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Het bestand is groter dan 200 MB; splits het in kleinere bestanden.")
        )
    target = imports_folder() / f"{uuid.uuid4().hex}.csv"
    try:
        checksum = _store_upload(uploaded_file, target)
        if problems := header_problems(target):
            raise ValidationError(problems)
        if (earlier := previous_import(checksum)) is not None:
            raise ValidationError(_already_imported_message(earlier))
        with transaction.atomic():
            job = ImportJob.objects.create(
                file_name=file_name,
                stored_path=str(target),
                dry_run=dry_run,
                started_by=started_by,
            )
            transaction.on_commit(lambda: queue(job.pk))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return job


def run_import_job(*, job_id: int) -> ImportJob | None:
    """Runs a queued upload (the Celery task calls this). Progress is written while the
    rows are checked, outside the import transaction, so the page can show it; the stored
    file is removed when the job ends. A job that is not queued any more is left alone,
    so a redelivered task message does nothing twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING
    )
    job = ImportJob.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s does not exist (any more)", job_id)
        return None
    if not claimed:
        return job

    kept: list[dict] = []
    count = 0

    def on_error(error: RowError) -> None:
        nonlocal count
        count += 1
        if len(kept) < MAX_JOB_ERRORS:
            kept.append(error.as_dict())

    def on_progress(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, total_rows=total)

    finished: dict = {}
    try:
        result = import_hours_file(
            path=job.stored_path,
            file_name=job.file_name,
            imported_by=job.started_by,
            dry_run=job.dry_run,
            on_error=on_error,
            on_progress=on_progress,
        )
    except HourImportRefused as refusal:
        kept.extend(error.as_dict() for error in refusal.row_errors[: MAX_JOB_ERRORS - len(kept)])
        finished.update(
            status=ImportJobStatus.FAILED,
            message=refusal.summary[:500],
            errors=kept,
            error_count=max(count, refusal.error_count),
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        finished.update(
            status=ImportJobStatus.FAILED,
            message=_(
                "Er ging iets mis bij het verwerken; er is niets opgeslagen. Probeer het "
                "opnieuw of neem contact op met de applicatiebeheerder."
            ),
        )
    else:
        finished.update(
            status=ImportJobStatus.DONE,
            message=result.summary[:500],
            batch=result.batch,
            total_rows=result.row_count,
            processed_rows=result.row_count,
        )
    finally:
        Path(job.stored_path).unlink(missing_ok=True)
    finished["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(**finished)
    job.refresh_from_db()
    return job
