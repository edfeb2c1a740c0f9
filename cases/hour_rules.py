"""The hour rules, in one place, with one Dutch message each: staff hours, volunteer hours,
group sessions (their date and note) and the hours import all check with these.

- Hours are read by `parse_hours` ("1,5", "1.5") and written by `format_hours` ("1.234,5",
  "7,25", "8"); both live in the base layer (`meerwaarde.hours`) and are re-exported here.
- An amount of hours is more than 0 and in quarters (`hours_problem`).
- A person has at most 24 hours on one day: a worker across staff hours, a volunteer across
  volunteer hours (`day_limit_problem`; the caller adds up what is registered already).
- A date lies in the registration window (`meerwaarde.dates`) and not in a period that
  reporting has closed (`closed_period_message`, `date_problem`).
- A note is at most `NOTE_MAX_LENGTH` characters (`note_problem`, the house's text limit).

The `*_problem` functions return the message or None, so a form collects every problem at
once and the import checks a million rows without raising; the import prefixes each message
with its line number."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.services.periods import closed_period_containing
from meerwaarde.dates import DateWindow, registration_date_window
from meerwaarde.form_guards import too_long_message
from meerwaarde.hours import HOURS_INVALID, HOURS_MISSING, format_hours, parse_hours
from meerwaarde.text_limits import SHORT_NOTE_LENGTH

__all__ = [
    "DATE_MISSING",
    "HOURS_INVALID",
    "HOURS_MISSING",
    "HOURS_NOT_IN_QUARTERS",
    "HOURS_NOT_POSITIVE",
    "MAX_HOURS_PER_DAY",
    "NOTE_MAX_LENGTH",
    "QUARTER",
    "closed_period_message",
    "closed_period_problem",
    "date_problem",
    "day_limit_problem",
    "format_hours",
    "hour_registration_errors",
    "hours_problem",
    "note_problem",
    "parse_hours",
    "read_hours",
]

QUARTER = Decimal("0.25")
MAX_HOURS_PER_DAY = Decimal("24")
NOTE_MAX_LENGTH = SHORT_NOTE_LENGTH

HOURS_NOT_POSITIVE = gettext_lazy("Het aantal uren moet meer dan 0 zijn.")
HOURS_NOT_IN_QUARTERS = gettext_lazy(
    "Registreer uren in kwartieren: 0,25 – 0,5 – 0,75 – 1 enzovoort."
)
DATE_MISSING = gettext_lazy("Vul de datum in.")


def hours_problem(value: Decimal) -> str | None:
    """More than 0, in quarters."""
    if value <= 0:
        return str(HOURS_NOT_POSITIVE)
    if value % QUARTER:
        return str(HOURS_NOT_IN_QUARTERS)
    return None


def read_hours(value) -> tuple[Decimal | None, str | None]:
    """`parse_hours` and `hours_problem` together: (the hours, None) when they may be
    registered, else (None, the message)."""
    try:
        hours = parse_hours(value)
    except ValidationError as error:
        return None, error.messages[0]
    if problem := hours_problem(hours):
        return None, problem
    return hours, None


def day_limit_problem(*, date: datetime.date, already: Decimal, adding: Decimal) -> str | None:
    """At most 24 hours per person on one day: `already` is what the person has on `date`
    without this registration (for the import: the database plus the file's earlier rows)."""
    total = already + adding
    if total <= MAX_HOURS_PER_DAY:
        return None
    return _(
        "Meer dan 24 uur op één dag kan niet: op %(date)s staat al %(already)s uur; met "
        "%(hours)s uur erbij wordt het %(total)s uur."
    ) % {
        "date": date.strftime("%d-%m-%Y"),
        "already": format_hours(already),
        "hours": format_hours(adding),
        "total": format_hours(total),
    }


def closed_period_message(period) -> str:
    """`period` is the closed period (or its label "01-01-2025 t/m 31-03-2025")."""
    return _(
        "De periode %(period)s is afgesloten voor de rapportage; registraties daarin kunnen "
        "niet meer worden toegevoegd, gewijzigd of verwijderd."
    ) % {"period": period}


def closed_period_problem(day: datetime.date) -> str | None:
    period = closed_period_containing(day)
    return None if period is None else closed_period_message(period)


def date_problem(day: datetime.date | None, *, window: DateWindow | None = None) -> str | None:
    """Filled in, within the registration window, not in a closed period."""
    if day is None:
        return str(DATE_MISSING)
    window = window or registration_date_window()
    if day not in window:
        return window.message
    return closed_period_problem(day)


def note_problem(note: str) -> str | None:
    return too_long_message(note or "", NOTE_MAX_LENGTH)


def hour_registration_errors(
    *,
    hours,
    date: datetime.date | None,
    note: str,
    hours_on_day: Callable[[datetime.date], Decimal],
    previous_date: datetime.date | None = None,
) -> tuple[Decimal | None, dict[str, list[str]]]:
    """Every hour rule for one registration (staff or volunteer), as the form shows them:
    the hours, the 24-hour day (`hours_on_day(date)`: the person's other hours that day),
    the date and — when a correction moves the hours to another day — the old date's
    period, and the note. Returns the hours as a Decimal and the errors per field."""
    errors: dict[str, list[str]] = {}
    value, problem = read_hours(hours)
    if problem:
        errors["hours"] = [problem]
    if problem := date_problem(date):
        errors["date"] = [problem]
    # Moving hours out of a closed period changes that period's figures too.
    moved = previous_date is not None and previous_date != date
    if moved and (problem := closed_period_problem(previous_date)):
        errors[NON_FIELD_ERRORS] = [problem]
    if problem := note_problem(note):
        errors["note"] = [problem]
    if (
        value is not None
        and date is not None
        and (problem := day_limit_problem(date=date, already=hours_on_day(date), adding=value))
    ):
        errors["hours"] = [problem]
    return value, errors
