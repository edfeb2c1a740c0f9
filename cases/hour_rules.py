"""The hour rules, in one place, with one Dutch message each: staff hours, volunteer hours,
group sessions (their date and note) and the hours import all check with these.

- Hours are read by `parse_hours` ("1,5", "1.5", "-1" — a dot is never a thousands
  separator: nobody books 1500 hours on a day) and written by `format_hours` ("1.234,5",
  "7,25", "8").
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
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import numberformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.services.periods import closed_period_containing
from meerwaarde.dates import DateWindow, registration_date_window
from meerwaarde.form_guards import too_long_message
from meerwaarde.text_limits import SHORT_NOTE_LENGTH

QUARTER = Decimal("0.25")
MAX_HOURS_PER_DAY = Decimal("24")
NOTE_MAX_LENGTH = SHORT_NOTE_LENGTH

HOURS_MISSING = gettext_lazy("Vul het aantal uren in.")
HOURS_INVALID = gettext_lazy("Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25.")
HOURS_NOT_POSITIVE = gettext_lazy("Het aantal uren moet meer dan 0 zijn.")
HOURS_NOT_IN_QUARTERS = gettext_lazy(
    "Registreer uren in kwartieren: 0,25 – 0,5 – 0,75 – 1 enzovoort."
)
DATE_MISSING = gettext_lazy("Vul de datum in.")

# Up to six digits before and any number after the decimal comma or point; a sign, so "-1"
# is told it must be more than 0 rather than that it is not a number.
_HOURS_TEXT = re.compile(r"^[+-]?\d{1,6}(?:[.,]\d+)?$")


def parse_hours(value) -> Decimal:
    """Text as typed ("1,5", "1.5", " 2 "), or a Decimal or int, as a Decimal. Raises a
    ValidationError with HOURS_MISSING (code "required") or HOURS_INVALID (code "invalid");
    whether the amount is allowed is `hours_problem`'s question."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(HOURS_INVALID, code="invalid")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(HOURS_MISSING, code="required")
    if not isinstance(value, str):
        # Hours are never floats (nor anything else): the caller passes text or a Decimal.
        raise ValidationError(HOURS_INVALID, code="invalid")
    text = value.strip().replace(" ", "")
    if not _HOURS_TEXT.match(text):
        raise ValidationError(HOURS_INVALID, code="invalid")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(HOURS_INVALID, code="invalid") from None


def format_hours(value: Decimal) -> str:
    """Dutch notation without needless zeros: 1.234,5 — 7,25 — 8."""
    text = numberformat.format(
        Decimal(value), ",", decimal_pos=2, grouping=3, thousand_sep=".", force_grouping=True
    )
    return text.rstrip("0").rstrip(",") if "," in text else text


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
