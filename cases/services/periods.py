"""Closed periods: the one owner of whether hours on a date may still change.

Closing and reopening happen here and nowhere else: reporting's "Periode sluiten" calls
`close_period` (after its last roll-up), the functioneel beheerder reopens through the
admin with `reopen_period`. Reporting's voorlopig/definitief is read from these rows
(`closures_covering`), never stored a second time. The hour rule that refuses a
registration in a closed period, and its message, live in `cases.hour_rules`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import ClosedPeriod
from meerwaarde.permissions import require_perm


def closed_period_containing(day: datetime.date) -> ClosedPeriod | None:
    return ClosedPeriod.objects.filter(start_date__lte=day, end_date__gte=day).first()


def is_in_closed_period(day: datetime.date) -> bool:
    return ClosedPeriod.objects.filter(start_date__lte=day, end_date__gte=day).exists()


def closures_covering(start, end) -> QuerySet[ClosedPeriod]:
    """The closures in force that cover all of start..end. Dates, or `OuterRef`s when
    reporting derives the status of its periods in the same query."""
    return ClosedPeriod.objects.filter(start_date__lte=start, end_date__gte=end)


def close_period(*, actor, start: datetime.date, end: datetime.date) -> ClosedPeriod:
    """Closes start..end: hours on these dates can no longer be added, changed or removed,
    and reporting's figures of every period inside it are definitief. Called inside
    reporting's close (which recomputes the figures one last time first)."""
    require_perm(actor, "cases.close_period")
    if start > end:
        raise ValidationError(_("Het begin van de periode ligt na het einde."))
    if closures_covering(start, end).exists():
        raise ValidationError(_("Deze periode is al gesloten."))
    period = ClosedPeriod(start_date=start, end_date=end, closed_by=actor)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def reopen_period(*, actor, period: ClosedPeriod, reason: str) -> ClosedPeriod:
    """Undoes a closing (one closed by mistake): hours in the period can be registered
    and changed again and reporting's figures become voorlopig. The row stays, with who
    reopened it, when and why."""
    require_perm(actor, "cases.reopen_period")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reopen_reason": _("Geef een reden voor het heropenen.")})
    locked = ClosedPeriod.all_records.select_for_update().get(pk=period.pk)
    if not locked.is_in_force:
        raise ValidationError(_("Deze periode is al heropend."))
    locked.reopened_at = timezone.now()
    locked.reopened_by = actor
    locked.reopen_reason = reason
    locked.full_clean()
    locked.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    return locked
