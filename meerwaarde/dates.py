"""The registration date window: the one rule for every date a user types on a registration
(intake, case, contact, referral, hours, volunteer hours, sessions, walk-in contacts,
mediation steps, matches, the hours import).

A registration date lies between the earliest registration date and today. The earliest
date is the setting EARLIEST_REGISTRATION_DATE (empty: 1 January of the previous year) and
is never before 1 January 2000: reporting periods start there, and a date like 01-01-0001
would otherwise mark two thousand years for the roll-up. Birth dates are not registration
dates; `validate_birth_date` is their own sanity check.

Pure apart from reading the setting and the clock, so every app may import it."""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FLOOR = datetime.date(2000, 1, 1)
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
DUTCH_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def dutch_date(day: datetime.date) -> str:
    """1 januari 2025: how the window's messages write a date, whatever language is active."""
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def configured_earliest_date() -> datetime.date | None:
    """The setting as a date (None: use the default). Settings parse the environment; a
    test may override it with a date or an ISO string."""
    value = getattr(settings, "EARLIEST_REGISTRATION_DATE", None)
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


@dataclass(frozen=True)
class DateWindow:
    earliest: datetime.date
    latest: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.earliest <= day <= self.latest

    @property
    def message(self) -> str:
        return _("Kies een datum tussen %(earliest)s en vandaag.") % {
            "earliest": dutch_date(self.earliest)
        }

    @property
    def message_from(self) -> str:
        """For a planned date (a group's start), which may lie ahead but not before."""
        return _("Kies een datum vanaf %(earliest)s.") % {"earliest": dutch_date(self.earliest)}


def registration_date_window(
    today: datetime.date | None = None, *, earliest: datetime.date | None = None
) -> DateWindow:
    """The window on `today`; `earliest` overrides the setting (still never before 2000)."""
    today = today or timezone.localdate()
    earliest = earliest or configured_earliest_date() or datetime.date(today.year - 1, 1, 1)
    # Never before 2000, and never after today (a mistyped setting must not block every
    # registration).
    earliest = min(max(earliest, FLOOR), today)
    return DateWindow(earliest=earliest, latest=today)


def validate_registration_date(value: datetime.date, *, today: datetime.date | None = None) -> None:
    """Raises a ValidationError with the window's one message when `value` lies outside it."""
    window = registration_date_window(today)
    if value not in window:
        raise ValidationError(window.message, code="outside_window")


def validate_planned_date(value: datetime.date, *, today: datetime.date | None = None) -> None:
    """A date that may lie ahead (its own limit is the caller's), but not before the window."""
    window = registration_date_window(today)
    if value < window.earliest:
        raise ValidationError(window.message_from, code="outside_window")


def validate_birth_date(value: datetime.date, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(_("De geboortedatum ligt in de toekomst."), code="birth_date")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("De geboortedatum ligt vóór 1900."), code="birth_date")


def window_form_attrs(today: datetime.date | None = None) -> dict[str, str]:
    """The window on a date input (the browser's own hint; the service stays the authority)."""
    window = registration_date_window(today)
    return {"min": window.earliest.isoformat(), "max": window.latest.isoformat()}


class RegistrationDateInput(forms.DateInput):
    """A date input that tells the browser the window when it is drawn (not when the form
    class is defined, so a long-running process keeps up with the date)."""

    input_type = "date"

    def __init__(self, attrs=None, *, planned: bool = False):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
        self.planned = planned

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        window_attrs = window_form_attrs()
        if self.planned:
            window_attrs.pop("max")
        context["widget"]["attrs"] = {**window_attrs, **context["widget"]["attrs"]}
        return context
