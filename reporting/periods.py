"""Reporting periods as values: keys "2025", "2025-H1", "2025-Q2", "2025-03"."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PeriodKind

PERIOD_KEY = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>\d{2})))?$"
)
KIND_ORDER = {
    PeriodKind.MONTH: 0,
    PeriodKind.QUARTER: 1,
    PeriodKind.HALF_YEAR: 2,
    PeriodKind.YEAR: 3,
}
MONTHS_IN = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}
DUTCH_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first_month: int
    kind: str

    @property
    def months(self) -> int:
        return MONTHS_IN[self.kind]

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        last = self.last_month
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        if self.kind == PeriodKind.HALF_YEAR:
            return f"{self.year}-H{(self.first_month - 1) // 6 + 1}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{(self.first_month - 1) // 3 + 1}"
        return f"{self.year}-{self.first_month:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return str(self.year)
        if self.kind == PeriodKind.HALF_YEAR:
            return _("%(n)se halfjaar %(year)s") % {
                "n": (self.first_month - 1) // 6 + 1,
                "year": self.year,
            }
        if self.kind == PeriodKind.QUARTER:
            return _("%(n)se kwartaal %(year)s") % {
                "n": (self.first_month - 1) // 3 + 1,
                "year": self.year,
            }
        return f"{DUTCH_MONTHS[self.first_month - 1]} {self.year}"

    @property
    def fraction_of_year(self):
        from decimal import Decimal

        return Decimal(self.months) / Decimal(12)

    def contains(self, other: "Period") -> bool:
        return (
            self.year == other.year
            and self.first_month <= other.first_month
            and other.last_month <= self.last_month
        )

    def month_periods(self) -> list["Period"]:
        return [
            Period(self.year, month, PeriodKind.MONTH)
            for month in range(self.first_month, self.last_month + 1)
        ]

    def sort_key(self) -> tuple:
        return (self.year, KIND_ORDER[self.kind], self.first_month)


def parse_period(key: str) -> Period:
    match = PERIOD_KEY.match((key or "").strip())
    if not match:
        raise ValidationError(
            _("Onbekende periode %(key)s. Gebruik bijvoorbeeld 2025, 2025-H1, 2025-Q2 of 2025-03.")
            % {"key": key}
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Het jaar %(year)s valt buiten 2000–2100.") % {"year": year})
    if match["half"]:
        return Period(year, 1 + 6 * (int(match["half"][1]) - 1), PeriodKind.HALF_YEAR)
    if match["quarter"]:
        return Period(year, 1 + 3 * (int(match["quarter"][1]) - 1), PeriodKind.QUARTER)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValidationError(_("De maand %(key)s bestaat niet.") % {"key": key})
        return Period(year, month, PeriodKind.MONTH)
    return Period(year, 1, PeriodKind.YEAR)


def periods_of_year(year: int) -> list[Period]:
    """All 19 periods of a year: 12 months, 4 quarters, 2 half-years, the year."""
    periods = [Period(year, m, PeriodKind.MONTH) for m in range(1, 13)]
    periods += [Period(year, m, PeriodKind.QUARTER) for m in (1, 4, 7, 10)]
    periods += [Period(year, m, PeriodKind.HALF_YEAR) for m in (1, 7)]
    periods.append(Period(year, 1, PeriodKind.YEAR))
    return periods


def periods_containing(date: datetime.date) -> list[Period]:
    return [
        Period(date.year, date.month, PeriodKind.MONTH),
        Period(date.year, 1 + 3 * ((date.month - 1) // 3), PeriodKind.QUARTER),
        Period(date.year, 1 + 6 * ((date.month - 1) // 6), PeriodKind.HALF_YEAR),
        Period(date.year, 1, PeriodKind.YEAR),
    ]


def periods_within(outer: Period) -> list[Period]:
    """The periods of the same year that lie inside `outer` (itself included)."""
    return [p for p in periods_of_year(outer.year) if outer.contains(p)]
