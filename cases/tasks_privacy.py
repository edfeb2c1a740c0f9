"""Celery tasks of the AVG retention periods (see cases/services/privacy/)."""

from celery import shared_task
from django.utils import timezone

from cases.services.privacy import apply_retention


@shared_task(name="cases.tasks_privacy.apply_retention_periods")
def apply_retention_periods() -> int:
    """Nightly: anonymises the clients whose retention period has passed. Idempotent
    (anonymised clients are skipped), so a missed or repeated run does no harm."""
    return apply_retention(today=timezone.localdate()).count
