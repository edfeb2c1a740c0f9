"""Keeps the indicator values current: every change of a registration marks the periods it
falls in as dirty (in the same transaction when it comes through the ORM) and, after commit,
asks a worker to recompute them. If the broker is unreachable the change is still saved and
the marks wait for the next periodic run or the nightly full run."""

import datetime
import logging

from django.db import transaction
from django.db.models import Max, Min
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from cases.models import (
    AnonymousContact,
    Case,
    CaseOutcome,
    Client,
    GroupSession,
    HourRegistration,
    Referral,
)
from cases.signals import hours_changed
from catalogue.models import HourBudget
from volunteers.models import Match, Volunteer, VolunteerHours

from . import services
from .computations import HOURS

logger = logging.getLogger(__name__)


def enqueue_processing() -> bool:
    """Ask a worker to process the dirty periods; False when the broker cannot be reached."""
    from .tasks import process_dirty_periods

    try:
        process_dirty_periods.delay()
    except Exception:  # kombu/redis raise several types; a registration must never fail on it
        logger.warning(
            "Herberekening kon niet in de wachtrij; de periodieke run haalt haar in.",
            exc_info=True,
        )
        return False
    return True


def _send_after_commit() -> None:
    enqueue_processing()


def _schedule_enqueue() -> None:
    """One message per transaction, however many rows it changed. (A rolled-back transaction
    drops its on-commit callbacks, so nothing is sent for it.)"""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        enqueue_processing()
        return
    if any(entry[1] is _send_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send_after_commit)


def registrations_changed(dates, *, sources=("",)) -> None:
    keys = services.mark_dirty(dates, sources=sources)
    if keys:
        _schedule_enqueue()


def _months(start, end) -> list[datetime.date]:
    if start is None:
        return []
    return services.month_dates_between(start, end or timezone.localdate())


def dates_of(instance) -> list:
    """The dates whose periods a change of this registration can move."""
    if isinstance(instance, HourRegistration | VolunteerHours | Referral | AnonymousContact):
        return [instance.date, getattr(instance, "_reporting_old_date", None)]
    if isinstance(instance, GroupSession):
        return [instance.date, getattr(instance, "_reporting_old_date", None)]
    if isinstance(instance, Case):
        # A case counts as "reached" in every month it was open.
        return _months(instance.registered_on, instance.closed_on)
    if isinstance(instance, CaseOutcome):
        case = instance.case
        return [case.closed_on or timezone.localdate()]
    if isinstance(instance, Match):
        return _months(instance.proposed_on, instance.ended_on)
    if isinstance(instance, HourBudget):
        # A budget is for a year: every month's realisation moves.
        return [datetime.date(instance.year, month, 1) for month in range(1, 13)]
    return []


def remember_old_date(sender, instance, **kwargs) -> None:
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
        instance._reporting_old_date = old


def on_saved_or_deleted(sender, instance, **kwargs) -> None:
    registrations_changed(dates_of(instance), sources=(sender._meta.label,))


def remember_old_kern(sender, instance, **kwargs) -> None:
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("kern_id", flat=True).first()
        instance._reporting_old_kern = old


def kern_change_dates(instance) -> tuple[list, tuple[str, ...]]:
    """When a client or volunteer moves to another kern, the periods of everything counted
    under their kern move with them: a client's cases and matches, a volunteer's hours."""
    if isinstance(instance, Client):
        dates = []
        for start, end in instance.cases.values_list("registered_on", "closed_on"):
            dates += _months(start, end)
        matches = Match.objects.filter(case__client=instance)
        for start, end in matches.values_list("proposed_on", "ended_on"):
            dates += _months(start, end)
        return dates, ("cases.Case", "volunteers.Match")
    span = VolunteerHours.objects.filter(volunteer=instance).aggregate(
        first=Min("date"), last=Max("date")
    )
    return _months(span["first"], span["last"]), ("volunteers.VolunteerHours",)


def on_kern_holder_saved(sender, instance, created=False, **kwargs) -> None:
    if created or not hasattr(instance, "_reporting_old_kern"):
        return
    if instance._reporting_old_kern == instance.kern_id:
        return
    dates, sources = kern_change_dates(instance)
    registrations_changed(dates, sources=sources)


def on_hours_changed(sender, dates, product_ids, model=None, **kwargs) -> None:
    registrations_changed(dates, sources=(model,) if model else tuple(sorted(HOURS)))


DATED_MODELS = (HourRegistration, VolunteerHours, GroupSession)
WATCHED_MODELS = (
    HourRegistration,
    VolunteerHours,
    Case,
    CaseOutcome,
    Referral,
    AnonymousContact,
    GroupSession,
    Match,
    HourBudget,
)


# People whose kern is the kern their registrations are counted under.
KERN_HOLDERS = (Client, Volunteer)


def connect() -> None:
    for model in DATED_MODELS:
        pre_save.connect(remember_old_date, sender=model, dispatch_uid=f"reporting-old-{model}")
    for model in WATCHED_MODELS:
        post_save.connect(on_saved_or_deleted, sender=model, dispatch_uid=f"reporting-s-{model}")
        post_delete.connect(on_saved_or_deleted, sender=model, dispatch_uid=f"reporting-d-{model}")
    for model in KERN_HOLDERS:
        pre_save.connect(remember_old_kern, sender=model, dispatch_uid=f"reporting-kern-{model}")
        post_save.connect(on_kern_holder_saved, sender=model, dispatch_uid=f"reporting-k-{model}")
    hours_changed.connect(on_hours_changed, dispatch_uid="reporting-hours-changed")
