"""Staff hours: the week view, adding (also from the case page), editing, deleting."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms_hours import HourRegistrationForm
from cases.hour_rules import format_hours
from cases.models import ClosedPeriod
from cases.selectors import get_own_hours_or_404, hours_of_worker
from cases.services.hours import delete_hours, register_hours, update_hours
from cases.services.periods import closed_period_containing
from meerwaarde.forms_once import replayed_submission, submit_once

register_hours_required = permission_required("cases.register_hours", raise_exception=True)

_WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{1,2})$")
# Far enough back for any correction, far enough ahead never to overflow a date.
_FIRST_YEAR, _LAST_YEAR = 2000, 2999


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(value: str) -> datetime.date | None:
    """The Monday of "2026-W47", or None when it is not an existing ISO week."""
    match = _WEEK_PATTERN.match(value.strip())
    if not match:
        return None
    year, week = int(match.group(1)), int(match.group(2))
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def week_url(day: datetime.date) -> str:
    return f"{reverse('hours:week')}?week={iso_week(day)}"


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _put_errors_on_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field_name, messages_ in error.message_dict.items():
            target = field_name if field_name in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@dataclass
class Day:
    date: datetime.date
    registrations: list = field(default_factory=list)
    closed: bool = False

    @property
    def total(self) -> Decimal:
        return sum((r.hours for r in self.registrations), Decimal("0"))


@require_GET
@register_hours_required
def week(request):
    today = timezone.localdate()
    requested = request.GET.get("week", "")
    monday = parse_iso_week(requested) if requested else None
    if requested and monday is None:
        messages.warning(
            request,
            _("Week '%(week)s' bestaat niet; hieronder staat deze week.") % {"week": requested},
        )
    if monday is None:
        monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)

    days = [Day(date=monday + datetime.timedelta(days=offset)) for offset in range(7)]
    by_date = {day.date: day for day in days}
    for registration in hours_of_worker(request.user, start=monday, end=sunday):
        by_date[registration.date].registrations.append(registration)
    for period in ClosedPeriod.objects.filter(start_date__lte=sunday, end_date__gte=monday):
        for day in days:
            if period.start_date <= day.date <= period.end_date:
                day.closed = True
    week_total = sum((day.total for day in days), Decimal("0"))

    return render(
        request,
        "cases/hours/week.html",
        {
            "days": days,
            "monday": monday,
            "sunday": sunday,
            "week_number": monday.isocalendar()[1],
            "week_total": week_total,
            "today": today,
            "is_this_week": monday <= today <= sunday,
            "previous_week": iso_week(monday - datetime.timedelta(days=7)),
            "next_week": iso_week(monday + datetime.timedelta(days=7)),
            "form": HourRegistrationForm(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@register_hours_required
def add(request):
    """The week page posts here, and so does the case page (case preselected, `next` back
    to the case). Invalid input comes back on this page with the Dutch messages."""
    next_url = _safe_next(request)
    if request.method == "POST" and (replay_url := replayed_submission(request)):
        messages.info(request, _("Deze uren waren al geregistreerd."))
        return redirect(replay_url)
    if request.method == "POST":
        form = HourRegistrationForm(request.POST, user=request.user)
        if form.is_valid():
            # A double click on the button posts the same one-time token twice: one record.
            with submit_once(request) as once:
                if once.is_replay:
                    messages.info(request, _("Deze uren waren al geregistreerd."))
                    return redirect(once.replay_url)
                try:
                    registration = register_hours(
                        worker=request.user, created_by=request.user, **form.service_arguments()
                    )
                except ValidationError as error:
                    _put_errors_on_form(form, error)
                else:
                    messages.success(
                        request,
                        _("%(hours)s uur geregistreerd op %(date)s.")
                        % {
                            "hours": format_hours(registration.hours),
                            "date": registration.date.strftime("%d-%m-%Y"),
                        },
                    )
                    once.done(next_url or week_url(registration.date))
                    return redirect(next_url or week_url(registration.date))
    else:
        form = HourRegistrationForm(user=request.user)
    return render(
        request,
        "cases/hours/add.html",
        {"form": form, "next": next_url, "back_url": next_url or reverse("hours:week")},
    )


@require_http_methods(["GET", "POST"])
@register_hours_required
def edit(request, pk: int):
    registration = get_own_hours_or_404(request.user, pk)
    closed_period = closed_period_containing(registration.date)
    if request.method == "POST" and closed_period is None:
        form = HourRegistrationForm(request.POST, user=request.user, registration=registration)
        if form.is_valid():
            try:
                registration = update_hours(
                    registration=registration,
                    changed_by=request.user,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                _put_errors_on_form(form, error)
            except PermissionDenied as error:
                raise Http404 from error
            else:
                messages.success(request, _("De uren zijn gewijzigd."))
                return redirect(week_url(registration.date))
    else:
        form = HourRegistrationForm(user=request.user, registration=registration)
    return render(
        request,
        "cases/hours/edit.html",
        {
            "form": form,
            "registration": registration,
            "closed_period": closed_period,
            "back_url": week_url(registration.date),
        },
    )


@require_http_methods(["GET", "POST"])
@register_hours_required
def delete(request, pk: int):
    registration = get_own_hours_or_404(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            delete_hours(registration=registration, deleted_by=request.user)
        except ValidationError as error:
            errors = error.messages
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("De uren zijn verwijderd."))
            return redirect(week_url(registration.date))
    return render(
        request,
        "cases/hours/delete.html",
        {
            "registration": registration,
            "closed_period": closed_period_containing(registration.date),
            "errors": errors,
            "back_url": week_url(registration.date),
        },
    )
