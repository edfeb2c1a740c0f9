"""Checking the rows of an hours file with the hour rules of a single registration
(`cases.hour_rules`), in bulk: reference data in dicts, the hours already registered asked
once per batch. Part of the hours import (`cases.services.imports`)."""

import csv
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _

from cases.choices import HourKind
from cases.hour_rules import (
    HOURS_INVALID,
    HOURS_MISSING,
    closed_period_message,
    day_limit_problem,
    hours_problem,
    parse_hours,
)
from cases.models import ClosedPeriod, HourRegistration
from catalogue.models import Area, AreaKind, Product, normalise_for_search
from meerwaarde.dates import registration_date_window

from .reading import RowError, _ErrorSink, _Header, _parse_header, _TextLines

BATCH_SIZE = 5_000
CLIENT_REFERENCE_LENGTH = HourRegistration._meta.get_field("client_reference").max_length

_DATE_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# --- checking rows ---------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _parse_date(text: str) -> datetime.date | None:
    if match := _DATE_DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _DATE_YMD.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


@functools.lru_cache(maxsize=8192)
def _parse_hours(text: str) -> Decimal | None:
    """`parse_hours`, cached: the same few amounts come back on every line."""
    try:
        return parse_hours(text)
    except ValidationError:
        return None


class _Row(NamedTuple):
    line: int
    worker_id: int
    date: datetime.date
    product_id: int
    hours: Decimal
    kern_id: int | None
    kind: str
    client_reference: str


@dataclass
class _ScanTotals:
    rows: int = 0
    total_hours: Decimal = Decimal("0")
    dates: set[datetime.date] = field(default_factory=set)
    product_ids: set[int] = field(default_factory=set)


class _RowChecker:
    """The rules of a single staff registration, for a stream of rows. Reference data is
    loaded once into dicts; the database is asked once per batch for the hours already
    registered on the (medewerker, day) pairs that batch brings in."""

    def __init__(self, *, today: datetime.date):
        self.today = today
        self.window = registration_date_window(today)
        self.users = {
            username: (pk, is_active)
            for username, pk, is_active in get_user_model().objects.values_list(
                "username", "pk", "is_active"
            )
        }
        self.products: dict[str, tuple[int, bool, str]] = {}
        for pk, slug, name, is_active in Product.objects.values_list(
            "pk", "slug", "name", "is_active"
        ):
            self.products[_key(slug)] = (pk, is_active, name)
            self.products.setdefault(_key(name), (pk, is_active, name))
        self.kernen = {
            _key(name): pk
            for pk, name in Area.objects.filter(kind=AreaKind.KERN).values_list("pk", "name")
        }
        self.kinds: dict[str, str] = {}
        for value, label in HourKind.choices:
            self.kinds[_key(value)] = value
            self.kinds[_key(str(label))] = value
        self.closed_periods = [
            (period.start_date, period.end_date, str(period))
            for period in ClosedPeriod.objects.all()
        ]
        self._closed_by_date: dict[datetime.date, str | None] = {}

    def closed_period_label(self, day: datetime.date) -> str | None:
        if day not in self._closed_by_date:
            self._closed_by_date[day] = next(
                (label for start, end, label in self.closed_periods if start <= day <= end), None
            )
        return self._closed_by_date[day]

    def check(self, line: int, values: list[str], header: _Header) -> tuple[_Row | None, list]:
        reasons: list[str] = []
        if len(values) > header.width:
            reasons.append(
                _(
                    "Deze regel heeft %(found)s kolommen, de kopregel %(expected)s (staat er "
                    "een scheidingsteken in een waarde zonder aanhalingstekens?)."
                )
                % {"found": len(values), "expected": header.width}
            )
            return None, reasons
        columns = header.columns

        def value(name: str) -> str:
            index = columns.get(name)
            if index is None or index >= len(values):
                return ""
            return values[index].strip()

        date = None
        text = value("datum")
        if not text:
            reasons.append(_("De datum ontbreekt."))
        elif (date := _parse_date(text)) is None:
            reasons.append(
                _("'%(value)s' is geen geldige datum; gebruik DD-MM-JJJJ of JJJJ-MM-DD.")
                % {"value": text}
            )
        elif date not in self.window:
            reasons.append(self.window.message)
        elif (period := self.closed_period_label(date)) is not None:
            reasons.append(closed_period_message(period))

        worker_id = None
        worker_name = value("medewerker")
        if not worker_name:
            reasons.append(_("De medewerker ontbreekt."))
        elif (user := self.users.get(worker_name)) is None:
            reasons.append(
                _("Onbekende medewerker '%(value)s' (gebruik de gebruikersnaam).")
                % {"value": worker_name}
            )
        elif not user[1]:
            reasons.append(
                _("Medewerker '%(value)s' is niet meer actief.") % {"value": worker_name}
            )
        else:
            worker_id = user[0]

        product_id = None
        text = value("product")
        if not text:
            reasons.append(_("Het product ontbreekt."))
        elif (product := self.products.get(_key(text))) is None:
            reasons.append(
                _(
                    "Onbekend product '%(value)s' (gebruik de korte naam of de precieze naam "
                    "uit de catalogus)."
                )
                % {"value": text}
            )
        elif not product[1]:
            reasons.append(
                _("Het product '%(name)s' wordt niet meer aangeboden.") % {"name": product[2]}
            )
        else:
            product_id = product[0]

        hours = None
        text = value("uren")
        if not text:
            reasons.append(str(HOURS_MISSING))
        elif (hours := _parse_hours(text)) is None:
            reasons.append(str(HOURS_INVALID))
        elif problem := hours_problem(hours):
            reasons.append(problem)

        kern_id = None
        text = value("kern")
        if text and (kern_id := self.kernen.get(_key(text))) is None:
            reasons.append(_("Onbekende kern '%(value)s'.") % {"value": text})

        kind = HourKind.DIRECT.value
        text = value("soort")
        if text and (kind := self.kinds.get(_key(text))) is None:
            reasons.append(
                _("Onbekende soort '%(value)s'; kies uit: %(choices)s.")
                % {"value": text, "choices": ", ".join(HourKind.values)}
            )

        client_reference = value("client")
        if len(client_reference) > CLIENT_REFERENCE_LENGTH:
            reasons.append(
                _("Het kenmerk van de cliënt is langer dan %(max)s tekens.")
                % {"max": CLIENT_REFERENCE_LENGTH}
            )

        if reasons:
            return None, reasons
        return (
            _Row(
                line,
                worker_id,
                date,
                product_id,
                hours,
                kern_id,
                kind,
                client_reference,
            ),
            reasons,
        )

    def scan(
        self,
        path: Path,
        *,
        errors: _ErrorSink,
        on_rows: Callable[[list[_Row]], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
        digest=None,
    ) -> _ScanTotals:
        """One pass over the file. `on_rows` receives each batch of good rows as long as
        no error has been found; `on_progress` the number of rows read after each batch."""
        totals = _ScanTotals()
        day_totals: dict[tuple[int, datetime.date], Decimal] = {}
        good: list[_Row] = []
        bad: list[RowError] = []
        errors_before = errors.count

        def flush() -> None:
            self._check_day_totals(good, day_totals, bad)
            for error in sorted(bad, key=lambda error: error.line):
                errors.add(error)
            if errors.count == errors_before:
                for row in good:
                    totals.total_hours += row.hours
                    totals.dates.add(row.date)
                    totals.product_ids.add(row.product_id)
                if on_rows is not None and good:
                    on_rows(good)
            good.clear()
            bad.clear()
            if on_progress is not None:
                on_progress(totals.rows)

        with open(path, "rb") as handle:
            lines = _TextLines(handle, digest=digest)
            header = _parse_header(lines, errors)
            reader = csv.reader(lines, delimiter=header.delimiter)
            in_batch = 0
            while True:
                first = lines.number + 1
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    totals.rows += 1
                    bad.append(
                        RowError(
                            first,
                            _("Deze regel kan niet worden gelezen (%(error)s).") % {"error": error},
                        )
                    )
                    continue
                last = lines.number
                if lines.problems and (problems := lines.pop_problems(first, last)):
                    totals.rows += 1
                    bad.append(RowError(first, " ".join(problems)))
                elif not any(item.strip() for item in values):
                    continue  # an empty line, or only delimiters
                else:
                    totals.rows += 1
                    row, reasons = self.check(first, values, header)
                    if reasons:
                        bad.append(RowError(first, " ".join(reasons)))
                    else:
                        good.append(row)
                in_batch += 1
                if in_batch >= BATCH_SIZE:
                    flush()
                    in_batch = 0
            flush()
        return totals

    def _check_day_totals(
        self,
        rows: list[_Row],
        day_totals: dict[tuple[int, datetime.date], Decimal],
        bad: list[RowError],
    ) -> None:
        """At most 24 hours per medewerker per day (`cases.hour_rules`): the file's rows
        plus what is in the database already (asked once per batch, for the pairs this
        batch brings in). Rows over the limit move from `rows` to `bad`."""
        new_pairs = {(row.worker_id, row.date) for row in rows} - day_totals.keys()
        if new_pairs:
            for pair in new_pairs:
                day_totals[pair] = Decimal("0")
            for worker_id, day, total in _registered_totals(new_pairs):
                if (worker_id, day) in new_pairs:
                    day_totals[(worker_id, day)] = total
        keep = []
        for row in rows:
            pair = (row.worker_id, row.date)
            already = day_totals[pair]
            day_totals[pair] = already + row.hours
            problem = day_limit_problem(date=row.date, already=already, adding=row.hours)
            if problem is None:
                keep.append(row)
            else:
                bad.append(RowError(row.line, problem))
        rows[:] = keep


PAIR_TOTALS_SQL = (
    "SELECT h.worker_id, h.date, SUM(h.hours) FROM {table} h "
    "JOIN unnest(%s::bigint[], %s::date[]) AS pair(worker_id, day) "
    "ON h.worker_id = pair.worker_id AND h.date = pair.day GROUP BY h.worker_id, h.date"
)


def _registered_totals(pairs: set[tuple[int, datetime.date]]):
    """Hours already registered per (medewerker, day), for exactly these pairs. PostgreSQL
    looks each pair up in the (worker, date) index; elsewhere a range query is filtered."""
    if connection.vendor == "postgresql":
        workers, days = zip(*pairs, strict=True)
        statement = PAIR_TOTALS_SQL.format(table=HourRegistration._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(statement, [list(workers), list(days)])
            return cursor.fetchall()
    return (
        HourRegistration.objects.filter(
            worker_id__in={worker for worker, _day in pairs},
            date__range=(min(day for _w, day in pairs), max(day for _w, day in pairs)),
        )
        .order_by()
        .values("worker_id", "date")
        .annotate(total=Sum("hours"))
        .values_list("worker_id", "date", "total")
    )


@functools.lru_cache(maxsize=8192)
def _key(text: str) -> str:
    """Case-, accent- and space-insensitive lookup key (the same few product, kern and soort
    names come back on every line: cached)."""
    return " ".join(normalise_for_search(text).split())
