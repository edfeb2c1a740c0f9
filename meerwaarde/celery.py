"""The Celery app. Configured from Django settings (`CELERY_*`); the beat schedule lives here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meerwaarde.settings")

app = Celery("meerwaarde")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules beyond the default `tasks` module of each app.
app.conf.imports = ("cases.tasks_imports", "cases.tasks_mediation", "cases.tasks_privacy")

# Later apps add their nightly jobs (roll-ups, retention) here, in code, reviewed like code.
app.conf.beat_schedule = {
    "clear-expired-sessions-nightly": {
        "task": "meerwaarde.accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # Buurtbemiddeling: the nazorg call ~6 weeks after the joint talk lands on the list.
    "schedule-mediation-aftercare-daily": {
        "task": "cases.tasks_mediation.schedule_mediation_aftercare",
        "schedule": crontab(hour=6, minute=0),
    },
    # AVG: anonymise the clients whose retention period (per product) has passed.
    "apply-retention-periods-nightly": {
        "task": "cases.tasks_privacy.apply_retention_periods",
        "schedule": crontab(hour=1, minute=30),
    },
    # Reporting: catch up dirty periods a lost message left behind, and a nightly full run.
    "process-dirty-periods": {
        "task": "reporting.tasks.process_dirty_periods",
        "schedule": 120.0,
    },
    "recompute-open-periods-nightly": {
        "task": "reporting.tasks.recompute_open_periods",
        "schedule": crontab(hour=2, minute=30),
    },
}
