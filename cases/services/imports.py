"""Bulk import of staff hours from a CSV file: the `import_hours` command and the upload
page of the functioneel beheerder.

All or nothing, in bounded memory, so a file of a million rows is fine: one streaming pass
inside one transaction checks every row with the rules of a single registration and writes
each good batch as soon as it is checked (COPY on PostgreSQL). After the first bad row nothing
more is written, but every row is still checked so every bad line is reported (line numbers of
the file, the header is line 1); then the transaction rolls back and nothing is saved. A dry run
only checks.
Nothing but the current batch of rows is held in memory, plus small caches (users,
products, kernen, closed periods) and the running total per medewerker and day.
"""

import codecs
import csv
import datetime
import functools
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import numberformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.choices import HourKind
from cases.models import (
    ClosedPeriod,
    HourRegistration,
    ImportBatch,
    ImportJob,
    ImportJobStatus,
)
from catalogue.models import Area, AreaKind, Product, normalise_for_search
from meerwaarde.audit.bulk_history import id_ranges, log_batch
from meerwaarde.dates import registration_date_window
from meerwaarde.outbox.services import record_change

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("datum", "medewerker", "product", "uren")
OPTIONAL_COLUMNS = ("client", "kern", "soort")
BATCH_SIZE = 5_000
MAX_DAY_HOURS = Decimal("24")
QUARTER_HOUR = Decimal("0.25")
MAX_LINE_BYTES = 100_000
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# The upload page keeps this many error lines on the job; the command prints them all.
MAX_JOB_ERRORS = 1_000
CLIENT_REFERENCE_LENGTH = HourRegistration._meta.get_field("client_reference").max_length

_DATE_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HOURS = re.compile(r"^[+-]?\d{1,6}(?:[.,]\d+)?$")


# --- results and errors ----------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One bad line of the file, with the reason in Dutch."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Regel %(line)s: %(message)s") % {"line": self.line, "message": self.message}

    def as_dict(self) -> dict:
        return {"line": self.line, "message": self.message}


class HourImportRefused(ValidationError):
    """The file is not imported and nothing is saved. `summary` says why in one sentence;
    `row_errors` holds the bad lines (unless they went to an `on_error` callback) and
    `error_count` how many there were."""

    def __init__(self, summary: str, *, row_errors: Sequence[RowError] = (), error_count: int = 0):
        self.summary = summary
        self.row_errors = list(row_errors)
        self.error_count = error_count
        super().__init__([summary, *(str(error) for error in self.row_errors)])


@dataclass
class ImportResult:
    row_count: int
    total_hours: Decimal
    dry_run: bool
    batch: ImportBatch | None = None
    dates: set[datetime.date] = field(default_factory=set)
    product_ids: set[int] = field(default_factory=set)

    @property
    def summary(self) -> str:
        rows = format_count(self.row_count)
        hours = format_hours(self.total_hours)
        if self.dry_run:
            return ngettext(
                "Controle geslaagd: %(rows)s regel, %(hours)s uur; er is niets opgeslagen.",
                "Controle geslaagd: %(rows)s regels, %(hours)s uur; er is niets opgeslagen.",
                self.row_count,
            ) % {"rows": rows, "hours": hours}
        return ngettext(
            "Geïmporteerd: %(rows)s regel, %(hours)s uur.",
            "Geïmporteerd: %(rows)s regels, %(hours)s uur.",
            self.row_count,
        ) % {"rows": rows, "hours": hours}


def format_hours(value: Decimal) -> str:
    """Dutch notation without needless zeros: 1.234,5 — 7,25 — 8."""
    text = numberformat.format(
        value, ",", decimal_pos=2, grouping=3, thousand_sep=".", force_grouping=True
    )
    return text.rstrip("0").rstrip(",") if "," in text else text


def format_count(value: int) -> str:
    return numberformat.format(value, ",", grouping=3, thousand_sep=".", force_grouping=True)


class _ErrorSink:
    """Passes every row error on as it is found (the command prints it at once), or keeps
    them for the refusal when nobody listens."""

    def __init__(self, on_error: Callable[[RowError], None] | None):
        self.on_error = on_error
        self.kept: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if self.on_error is not None:
            self.on_error(error)
        else:
            self.kept.append(error)

    def refusal(self) -> HourImportRefused:
        summary = ngettext(
            "Niet geïmporteerd: %(count)s regel bevat een fout; er is niets opgeslagen.",
            "Niet geïmporteerd: %(count)s regels bevatten fouten; er is niets opgeslagen.",
            self.count,
        ) % {"count": format_count(self.count)}
        return HourImportRefused(summary, row_errors=self.kept, error_count=self.count)


# --- reading the file ------------------------------------------------------------------


def file_fingerprint(path: Path) -> tuple[str, int]:
    """SHA-256 of the file's bytes and its number of lines, read in blocks."""
    digest = hashlib.sha256()
    lines = 0
    last = b""
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
            lines += block.count(b"\n")
            last = block
    if last and not last.endswith(b"\n"):
        lines += 1
    return digest.hexdigest(), lines


class _TextLines:
    """The decoded lines of a file opened in binary mode, one at a time. A line that
    cannot be read (not UTF-8, binary, far too long) becomes an empty line and its
    reason is kept in `problems`, so the row that holds it is reported."""

    def __init__(self, handle, *, digest=None):
        self.handle = handle
        self.digest = digest
        self.number = 0
        self.problems: dict[int, str] = {}

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.handle.readline(MAX_LINE_BYTES)
        if not raw:
            raise StopIteration
        self.number += 1
        if self.digest is not None:
            self.digest.update(raw)
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while rest := self.handle.readline(MAX_LINE_BYTES):
                if self.digest is not None:
                    self.digest.update(rest)
                if rest.endswith(b"\n"):
                    break
            self.problems[self.number] = _("Deze regel is te lang (meer dan %(limit)s tekens).") % {
                "limit": format_count(MAX_LINE_BYTES)
            }
            return "\n"
        if b"\x00" in raw:
            self.problems[self.number] = _(
                "Deze regel bevat binaire gegevens; is dit wel een CSV-bestand?"
            )
            return "\n"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.problems[self.number] = _(
                "Deze regel is geen geldige UTF-8-tekst; sla het bestand op als 'CSV UTF-8'."
            )
            return "\n"
        if self.number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        return text

    def pop_problems(self, first: int, last: int) -> list[str]:
        return [self.problems.pop(n) for n in range(first, last + 1) if n in self.problems]


@dataclass(frozen=True)
class _Header:
    delimiter: str
    columns: dict[str, int]
    width: int


def _parse_header(lines: _TextLines, errors: _ErrorSink) -> _Header:
    """Reads line 1: the delimiter (';' or ',') and where each column is."""
    try:
        text = next(lines)
    except StopIteration:
        raise HourImportRefused(_("Het bestand is leeg.")) from None
    if 1 in lines.problems:
        errors.add(RowError(1, lines.problems.pop(1)))
        raise errors.refusal()
    if not text.strip():
        raise HourImportRefused(
            _("De eerste regel is leeg; het bestand moet beginnen met de kopregel.")
        )
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    names = [name.strip().casefold() for name in next(csv.reader([text], delimiter=delimiter))]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in columns and name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
            errors.add(
                RowError(
                    1, _("De kolom '%(name)s' staat meer dan eens in de kopregel.") % {"name": name}
                )
            )
        columns.setdefault(name, index)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        errors.add(
            RowError(
                1, _("De verplichte kolom '%(name)s' ontbreekt in de kopregel.") % {"name": name}
            )
        )
    if missing and len(names) == 1:
        errors.add(
            RowError(
                1,
                _(
                    "De kopregel heeft maar één kolom: gebruik ; of , als scheidingsteken "
                    "tussen de kolommen datum, medewerker, product en uren."
                ),
            )
        )
    if errors.count:
        raise errors.refusal()
    return _Header(delimiter=delimiter, columns=columns, width=len(names))


def header_problems(path: Path) -> list[str]:
    """What is wrong with the first line of the file (empty when it is a usable header)."""
    errors = _ErrorSink(on_error=None)
    try:
        with open(path, "rb") as handle:
            _parse_header(_TextLines(handle), errors)
    except HourImportRefused as refusal:
        if refusal.row_errors:
            return [error.message for error in refusal.row_errors]
        return [refusal.summary]
    return []


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
    if not _HOURS.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


class _Row(NamedTuple):
    line: int
    worker_id: int
    worker_name: str
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
            reasons.append(
                _(
                    "De periode %(period)s is afgesloten voor de rapportage; uren daarin "
                    "kunnen niet meer worden toegevoegd of gewijzigd."
                )
                % {"period": period}
            )

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
            reasons.append(_("Het aantal uren ontbreekt."))
        elif (hours := _parse_hours(text)) is None:
            reasons.append(
                _("'%(value)s' is geen geldig aantal uren; gebruik bijvoorbeeld 1,5 of 1.5.")
                % {"value": text}
            )
        elif hours <= 0:
            reasons.append(_("Het aantal uren moet groter zijn dan 0."))
        elif hours % QUARTER_HOUR:
            reasons.append(
                _("Registreer uren in kwartieren (0,25 · 0,5 · 0,75 …); %(value)s is dat niet.")
                % {"value": text}
            )
        elif hours > MAX_DAY_HOURS:
            reasons.append(_("Meer dan 24 uur op één dag kan niet."))

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
                worker_name,
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
        earlier_totals: dict[tuple[int, datetime.date], Decimal] = {}
        good: list[_Row] = []
        bad: list[RowError] = []
        errors_before = errors.count

        def flush() -> None:
            self._check_day_totals(good, day_totals, earlier_totals, bad)
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
        earlier_totals: dict[tuple[int, datetime.date], Decimal],
        bad: list[RowError],
    ) -> None:
        """At most 24 hours per medewerker per day: the file's rows plus what is in the
        database already (asked once per batch, for the pairs this batch brings in).
        Rows over the limit move from `rows` to `bad`."""
        new_pairs = {(row.worker_id, row.date) for row in rows} - day_totals.keys()
        if new_pairs:
            for pair in new_pairs:
                day_totals[pair] = Decimal("0")
            for worker_id, day, total in _registered_totals(new_pairs):
                if (worker_id, day) in new_pairs:
                    day_totals[(worker_id, day)] = total
                    earlier_totals[(worker_id, day)] = total
        keep = []
        for row in rows:
            pair = (row.worker_id, row.date)
            total = day_totals[pair] + row.hours
            day_totals[pair] = total
            if total <= MAX_DAY_HOURS:
                keep.append(row)
                continue
            bad.append(
                RowError(
                    row.line,
                    _(
                        "Medewerker '%(worker)s' komt op %(date)s op %(total)s uur (waarvan "
                        "%(earlier)s uur al eerder geregistreerd); meer dan 24 uur op één dag "
                        "kan niet."
                    )
                    % {
                        "worker": row.worker_name,
                        "date": f"{row.date:%d-%m-%Y}",
                        "total": format_hours(total),
                        "earlier": format_hours(earlier_totals.get(pair, Decimal("0"))),
                    },
                )
            )
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


# --- importing -------------------------------------------------------------------------


def _already_imported_message(batch: ImportBatch) -> str:
    at = timezone.localtime(batch.imported_at)
    who = (
        batch.imported_by.get_full_name() or batch.imported_by.username
        if batch.imported_by_id
        else _("onbekend")
    )
    return ngettext(
        "Dit bestand is al geïmporteerd op %(date)s om %(time)s door %(user)s (als "
        "'%(file)s', %(rows)s regel); het wordt niet nog eens ingelezen.",
        "Dit bestand is al geïmporteerd op %(date)s om %(time)s door %(user)s (als "
        "'%(file)s', %(rows)s regels); het wordt niet nog eens ingelezen.",
        batch.row_count,
    ) % {
        "date": f"{at:%d-%m-%Y}",
        "time": f"{at:%H:%M}",
        "user": who,
        "file": batch.file_name,
        "rows": format_count(batch.row_count),
    }


def previous_import(checksum: str) -> ImportBatch | None:
    return ImportBatch.objects.select_related("imported_by").filter(checksum=checksum).first()


COPY_COLUMNS = (
    "worker_id",
    "date",
    "hours",
    "product_id",
    "kind",
    "kern_id",
    "pc4",
    "client_reference",
    "note",
    "import_batch_id",
    "created_by_id",
    "created_at",
    "updated_at",
)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _copy_value(value) -> str:
    """One value in COPY's text format; text typed in the file is escaped."""
    if value is None:
        return _COPY_NULL
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _log_batch_history(batch: ImportBatch, *, imported_by) -> None:
    """The rows go in with COPY or bulk_create, past auditlog's signals: one history entry
    per batch names them (their ids), so imported hours are in the history too."""
    rows = HourRegistration.objects.filter(import_batch=batch).order_by()
    ids = rows.values_list("pk", flat=True)
    log_batch(
        batch,
        changes={"row_count": batch.row_count, "hour_registrations": id_ranges(ids)},
        actor=imported_by,
    )


def _copy_rows(rows: list[_Row], *, batch: ImportBatch, imported_by) -> None:
    """PostgreSQL: stream a batch with COPY (no model objects; the checks ran already). The
    batch is written as one block of COPY text: formatting row by row through the driver's
    adapters cost more than the database's own work."""
    now = timezone.now().isoformat()
    created_by = _copy_value(imported_by.pk if imported_by is not None else None)
    # After the row's own columns: pc4 and note (empty), batch, created_by, created/updated.
    tail = f"\t\t{batch.pk}\t{created_by}\t{now}\t{now}\n"
    text = "".join(
        "\t".join(
            (
                str(row.worker_id),
                row.date.isoformat(),
                _copy_value(row.hours),
                str(row.product_id),
                _copy_value(row.kind),
                _copy_value(row.kern_id),
                "",
                _copy_value(row.client_reference),
            )
        )
        + tail
        for row in rows
    )
    statement = f"COPY {HourRegistration._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(text)


def _refuse_if_wrong(errors: "_ErrorSink", rows: int) -> None:
    if errors.count:
        raise errors.refusal()
    if rows == 0:
        raise HourImportRefused(_("Het bestand bevat alleen een kopregel en geen regels met uren."))


def import_hours_file(
    *,
    path: Path | str,
    file_name: str = "",
    imported_by=None,
    dry_run: bool = False,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Imports the hours in a CSV file, all or nothing.

    Raises HourImportRefused (a ValidationError) when the file was imported before or any
    row is wrong; every bad row goes to `on_error` as it is found (or, without it, onto
    the exception). `on_progress(rows_checked, rows_expected)` is called after every batch.
    A dry run checks everything and saves nothing."""
    path = Path(path)
    checksum, line_count = file_fingerprint(path)
    if line_count == 0:
        raise HourImportRefused(_("Het bestand is leeg."))
    if (earlier := previous_import(checksum)) is not None:
        raise HourImportRefused(_already_imported_message(earlier))

    errors = _ErrorSink(on_error)
    checker = _RowChecker(today=timezone.localdate())
    expected_rows = max(line_count - 1, 0)
    progress = None
    if on_progress is not None:
        on_progress(0, expected_rows)

        def progress(rows: int) -> None:
            on_progress(rows, max(rows, expected_rows))

    if dry_run:
        checked = checker.scan(path, errors=errors, on_progress=progress)
        _refuse_if_wrong(errors, checked.rows)
        if on_progress is not None:
            on_progress(checked.rows, checked.rows)  # the estimate counted blank lines too
        return ImportResult(
            row_count=checked.rows,
            total_hours=checked.total_hours,
            dry_run=True,
            dates=checked.dates,
            product_ids=checked.product_ids,
        )

    # One pass, inside one transaction: each good batch is written as soon as it is checked;
    # after the first bad row nothing more is written but every row is still checked, and
    # any error rolls the whole import back. The 24-hour rule counts the batches already
    # written, and the file must not change while it is read.
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                file_name=(file_name or path.name)[:255],
                checksum=checksum,
                row_count=0,
                imported_by=imported_by,
            )

            def insert(rows: list[_Row]) -> None:
                if connection.vendor == "postgresql":
                    _copy_rows(rows, batch=batch, imported_by=imported_by)
                    return
                HourRegistration.objects.bulk_create(
                    [
                        HourRegistration(
                            worker_id=row.worker_id,
                            date=row.date,
                            hours=row.hours,
                            product_id=row.product_id,
                            kind=row.kind,
                            kern_id=row.kern_id,
                            client_reference=row.client_reference,
                            import_batch=batch,
                            created_by=imported_by,
                        )
                        for row in rows
                    ],
                    batch_size=BATCH_SIZE,
                )

            digest = hashlib.sha256()
            inserted = checker.scan(
                path, errors=errors, on_rows=insert, on_progress=progress, digest=digest
            )
            _refuse_if_wrong(errors, inserted.rows)
            if digest.hexdigest() != checksum:
                raise HourImportRefused(
                    _("Het bestand is tijdens het inlezen gewijzigd; er is niets opgeslagen.")
                )
            ImportBatch.objects.filter(pk=batch.pk).update(row_count=inserted.rows)
            batch.row_count = inserted.rows
            _log_batch_history(batch, imported_by=imported_by)
            record_change(source=HourRegistration, dates=inserted.dates)
    except IntegrityError:
        # Someone imported the same file at the same moment: the checksum is unique.
        if (earlier := previous_import(checksum)) is not None:
            raise HourImportRefused(_already_imported_message(earlier)) from None
        raise
    if on_progress is not None:
        on_progress(inserted.rows, inserted.rows)
    result = ImportResult(
        row_count=inserted.rows,
        total_hours=inserted.total_hours,
        dry_run=False,
        dates=inserted.dates,
        product_ids=inserted.product_ids,
    )
    result.batch = batch
    return result


# --- the upload page: store the file, run it as a background job ------------------------


def imports_folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_upload(uploaded_file, target: Path) -> str:
    """Copies the upload in blocks, refusing binary or non-UTF-8 content; returns the
    SHA-256 of the bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(target, "wb") as out:
        for block in uploaded_file.chunks():
            if b"\x00" in block:
                raise ValidationError(
                    _(
                        "Dit is geen CSV-bestand (het bevat binaire gegevens, bijvoorbeeld een "
                        "Excel-werkmap). Sla het in Excel op als 'CSV UTF-8'."
                    )
                )
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                raise ValidationError(_not_utf8_message()) from None
            digest.update(block)
            out.write(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ValidationError(_not_utf8_message()) from None
    return digest.hexdigest()


def _not_utf8_message() -> str:
    return _(
        "Het bestand is geen UTF-8-tekst. Sla het in Excel op als 'CSV UTF-8 (door "
        "lijstscheidingsteken gescheiden)' en probeer het opnieuw."
    )


def start_import_job(*, uploaded_file, dry_run: bool, started_by) -> ImportJob:
    """Checks and stores an uploaded file and queues its import; the job page follows it.

    Raises ValidationError (nothing stored) for a file that is not a UTF-8 CSV with the
    required columns, is empty, larger than 200 MB, or was imported before."""
    from cases.tasks_imports import run_import_job as run_import_job_task

    file_name = os.path.basename(uploaded_file.name or "")[:255]
    if not file_name.lower().endswith(".csv"):
        raise ValidationError(_("Kies een CSV-bestand (de naam eindigt op .csv)."))
    if not uploaded_file.size:
        raise ValidationError(_("Het bestand is leeg."))
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Het bestand is groter dan 200 MB; splits het in kleinere bestanden.")
        )
    target = imports_folder() / f"{uuid.uuid4().hex}.csv"
    try:
        checksum = _store_upload(uploaded_file, target)
        if problems := header_problems(target):
            raise ValidationError(problems)
        if (earlier := previous_import(checksum)) is not None:
            raise ValidationError(_already_imported_message(earlier))
        with transaction.atomic():
            job = ImportJob.objects.create(
                file_name=file_name,
                stored_path=str(target),
                dry_run=dry_run,
                started_by=started_by,
            )
            transaction.on_commit(lambda: run_import_job_task.delay(job.pk))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return job


def run_import_job(*, job_id: int) -> ImportJob | None:
    """Runs a queued upload (the Celery task calls this). Progress is written while the
    rows are checked, outside the import transaction, so the page can show it; the stored
    file is removed when the job ends. A job that is not queued any more is left alone,
    so a redelivered task message does nothing twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING
    )
    job = ImportJob.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s does not exist (any more)", job_id)
        return None
    if not claimed:
        return job

    kept: list[dict] = []
    count = 0

    def on_error(error: RowError) -> None:
        nonlocal count
        count += 1
        if len(kept) < MAX_JOB_ERRORS:
            kept.append(error.as_dict())

    def on_progress(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, total_rows=total)

    finished: dict = {}
    try:
        result = import_hours_file(
            path=job.stored_path,
            file_name=job.file_name,
            imported_by=job.started_by,
            dry_run=job.dry_run,
            on_error=on_error,
            on_progress=on_progress,
        )
    except HourImportRefused as refusal:
        kept.extend(error.as_dict() for error in refusal.row_errors[: MAX_JOB_ERRORS - len(kept)])
        finished.update(
            status=ImportJobStatus.FAILED,
            message=refusal.summary[:500],
            errors=kept,
            error_count=max(count, refusal.error_count),
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        finished.update(
            status=ImportJobStatus.FAILED,
            message=_(
                "Er ging iets mis bij het verwerken; er is niets opgeslagen. Probeer het "
                "opnieuw of neem contact op met de applicatiebeheerder."
            ),
        )
    else:
        finished.update(
            status=ImportJobStatus.DONE,
            message=result.summary[:500],
            batch=result.batch,
            total_rows=result.row_count,
            processed_rows=result.row_count,
        )
    finally:
        Path(job.stored_path).unlink(missing_ok=True)
    finished["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(**finished)
    job.refresh_from_db()
    return job
