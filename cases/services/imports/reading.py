"""Reading an hours file: its lines (bounded, decoded, every unreadable line kept as a
problem for its row), its header, and the errors of its rows. Part of the hours import
(`cases.services.imports`)."""

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import numberformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REQUIRED_COLUMNS = ("datum", "medewerker", "product", "uren")
OPTIONAL_COLUMNS = ("client", "kern", "soort")
MAX_LINE_BYTES = 100_000


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
