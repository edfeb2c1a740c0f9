"""Celery tasks of buurtbemiddeling (see cases/services/mediation.py)."""

from celery import shared_task
from django.utils import timezone

from cases.services.mediation import schedule_aftercare_follow_ups


@shared_task(name="cases.tasks_mediation.schedule_mediation_aftercare")
def schedule_mediation_aftercare() -> int:
    """Daily: puts the nazorg call on the list of meldingen whose joint talk was about six
    weeks ago. Idempotent, so a missed or repeated run does no harm."""
    return schedule_aftercare_follow_ups(today=timezone.localdate())
