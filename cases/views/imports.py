"""The upload page of the bulk hour import and the page that follows a job."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms_imports import HourImportForm
from cases.models import ImportJob, ImportJobStatus
from cases.services.imports import MAX_JOB_ERRORS, start_import_job
from cases.tasks_imports import run_import_job

import_hours_required = permission_required("cases.import_hours", raise_exception=True)

RECENT_JOBS = 20


def _job_context(job: ImportJob) -> dict:
    running = job.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
    percent = None
    if job.status == ImportJobStatus.DONE:
        percent = 100
    elif job.total_rows:
        percent = min(100, job.processed_rows * 100 // job.total_rows)
    return {
        "job": job,
        "running": running,
        "percent": percent,
        "checked_all": bool(job.total_rows) and job.processed_rows >= job.total_rows,
        "errors_truncated": job.error_count > len(job.errors),
        "max_job_errors": MAX_JOB_ERRORS,
    }


@require_http_methods(["GET", "POST"])
@import_hours_required
def upload(request):
    if request.method == "POST":
        form = HourImportForm(request.POST, request.FILES)
    else:
        form = HourImportForm()
    if form.is_bound and form.is_valid():
        try:
            job = start_import_job(
                uploaded_file=form.cleaned_data["bestand"],
                dry_run=form.cleaned_data["alleen_controleren"],
                started_by=request.user,
                queue=run_import_job.delay,
            )
        except ValidationError as error:
            form.add_error("bestand", error.messages)
        else:
            return redirect("imports:job", job_id=job.pk)
    jobs = ImportJob.objects.select_related("started_by").order_by("-created_at")[:RECENT_JOBS]
    return render(request, "cases/imports/upload.html", {"form": form, "jobs": jobs})


@require_GET
@import_hours_required
def job_detail(request, job_id: int):
    job = get_object_or_404(ImportJob.objects.select_related("started_by", "batch"), pk=job_id)
    return render(request, "cases/imports/job.html", _job_context(job))


@require_GET
@import_hours_required
def job_status(request, job_id: int):
    job = get_object_or_404(ImportJob.objects.select_related("started_by", "batch"), pk=job_id)
    return render(request, "cases/imports/_job_status.html", _job_context(job))
