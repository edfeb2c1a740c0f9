"""Thin Celery tasks around reporting.services."""

from celery import shared_task

from . import services


@shared_task(name="reporting.tasks.process_dirty_periods")
def process_dirty_periods() -> int:
    """Recompute the periods whose registrations changed (queued after every change, and
    every few minutes by beat so a missed message is caught up)."""
    return len(services.process_dirty_periods().periods)


@shared_task(name="reporting.tasks.recompute_open_periods")
def recompute_open_periods() -> int:
    """Nightly: recompute every open period of the current and previous year from scratch."""
    return len(services.recompute_open_periods().periods)


@shared_task(name="reporting.tasks.execute_run")
def execute_run(run_id: int) -> str:
    """A recompute a manager asked for (Herberekenen); progress is kept on the RollupRun."""
    return services.execute_run(run_id).status
