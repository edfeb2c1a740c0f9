"""Celery tasks of the bulk hour import (see cases/services/imports/)."""

from celery import shared_task

from cases.services import imports

# Big files take a while; the limits stay below the broker's visibility timeout (1 hour),
# so a long import is never handed to a second worker while the first is still busy.
IMPORT_SOFT_TIME_LIMIT = 50 * 60
IMPORT_TIME_LIMIT = 55 * 60


@shared_task(soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT)
def run_import_job(job_id: int) -> str:
    """Runs an uploaded hours file; returns the job's final status."""
    job = imports.run_import_job(job_id=job_id)
    return job.status if job is not None else "onbekend"
