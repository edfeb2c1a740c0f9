"""Exports are safe: spreadsheet cells that start with = + - @ are neutralised (formula
injection), every CSV/XLSX writer of the project goes through the module that does so,
and an export of a person's data is in the access log."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import AccessAction, PersonalDataAccess
from reporting import exports

from .test_access_matrix import MATRIX
from .world import url_of

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT_PACKAGES = ["meerwaarde", "catalogue", "cases", "volunteers", "reporting"]
# The only module that writes spreadsheets; it neutralises formulas (safe_text).
SPREADSHEET_MODULES = {"reporting/exports.py"}
SPREADSHEET_WRITERS = re.compile(r"csv\.writer|csv\.DictWriter|Workbook\(|xlsxwriter")

ATTACKS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+31 6 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def indicator_row(text: str) -> dict:
    return {
        "indicator": text,
        "period": "2025-Q2",
        "product": text,
        "area": text,
        "value": 12.5,
        "numerator": 25,
        "denominator": 2,
        "status": "voorlopig",
        "suppressed": False,
    }


def csv_text_cells(content: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    return [cell for row in rows for cell in row]


def xlsx_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("attack", ATTACKS)
def test_indicator_exports_neutralise_formulas(attack):
    rows = [indicator_row(attack)]
    for cell in csv_text_cells(exports.to_csv(rows)):
        assert not cell.startswith(DANGEROUS_START), cell
    for cell in xlsx_cells(exports.to_xlsx(rows)):
        assert cell.data_type != "f", cell.value
        assert not str(cell.value or "").startswith(DANGEROUS_START), cell.value
    # The text itself survives, behind the apostrophe.
    assert "'" + attack in csv_text_cells(exports.to_csv(rows))


@pytest.mark.parametrize("attack", ATTACKS)
def test_table_exports_neutralise_formulas_in_header_and_cells(attack):
    header = [attack, "uren"]
    rows = [[attack, 3], ["Thuisadministratie", -2]]
    for cell in csv_text_cells(exports.table_to_csv(header, rows)):
        # A negative number is a number the application formatted, not a formula.
        assert not cell.startswith(DANGEROUS_START) or re.fullmatch(r"-\d+(,\d+)?", cell), cell
    for cell in xlsx_cells(exports.table_to_xlsx(header, rows, title="Uren")):
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert not cell.value.startswith(DANGEROUS_START), cell.value


def test_every_spreadsheet_export_goes_through_the_safe_module():
    """A new CSV or XLSX writer elsewhere must use reporting.exports (or neutralise cells
    the same way and be added here after review). The catalogue export is JSON for other
    systems, not a spreadsheet, so it needs no neutralising."""
    writers = set()
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if SPREADSHEET_WRITERS.search(path.read_text()):
                writers.add(str(path.relative_to(ROOT)))
    assert writers == SPREADSHEET_MODULES


@pytest.mark.django_db
def test_every_download_of_a_persons_data_is_in_the_access_log(as_role, world):
    """Every page of the matrix that shows a person and answers with a file (not a page)
    writes an 'exported' entry in the access log."""
    downloads = 0
    for role in (Role.SOCIAL_WORKER, Role.COORDINATOR, Role.FUNCTIONAL_ADMIN):
        client = as_role(role)
        for name, expect in MATRIX.items():
            if not (expect.person and expect.method == "get" and expect.answer_for(role) == 200):
                continue
            response = client.get(url_of(world, name, expect))
            if response["Content-Type"].startswith("text/html"):
                continue
            downloads += 1
            assert PersonalDataAccess.objects.filter(
                user=world.users[role], action=AccessAction.EXPORTED
            ).exists(), (name, role)
            PersonalDataAccess.objects.filter(user=world.users[role]).delete()
    assert downloads >= 1  # at least the inzage JSON
