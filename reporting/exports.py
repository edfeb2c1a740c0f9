"""Exports of the published indicator rows: JSON (the command and API shape), CSV for Excel
(semicolon, decimal comma, UTF-8 BOM) and XLSX. Text cells that a spreadsheet would read as
a formula are neutralised."""

import csv
import io
import json
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import SUPPRESSED_TEXT

COLUMNS = [
    "indicator",
    "period",
    "product",
    "area",
    "value",
    "numerator",
    "denominator",
    "status",
    "suppressed",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text) -> str:
    """A cell starting with = + - @ (or a tab/CR) would run as a formula in Excel: prefix '."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def dutch_number(value) -> str:
    if value is None:
        return ""
    number = Decimal(str(value))
    text = (
        format(number.normalize(), "f")
        if number != number.to_integral_value()
        else str(int(number))
    )
    return text.replace(".", ",")


def _csv_cells(row: dict) -> list[str]:
    cells = []
    for column in COLUMNS:
        value = row[column]
        if column in ("value", "numerator", "denominator"):
            cells.append(
                SUPPRESSED_TEXT if row["suppressed"] and column == "value" else dutch_number(value)
            )
        elif column == "suppressed":
            cells.append("ja" if value else "nee")
        else:
            cells.append(safe_text("" if value is None else value))
    return cells


def to_csv(rows: list[dict], *, bom: bool = True) -> str:
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_csv_cells(row))
    return buffer.getvalue()


def to_xlsx(rows: list[dict], *, title: str = "Indicatoren") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row[column]
            if column in ("value", "numerator", "denominator"):
                if row["suppressed"]:
                    cells.append(SUPPRESSED_TEXT if column == "value" else None)
                else:
                    cells.append(value)
            elif column == "suppressed":
                cells.append("ja" if value else "nee")
            else:
                cells.append(safe_text(value) if value is not None else None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain_cell(cell) -> str:
    if isinstance(cell, bool):
        return "ja" if cell else "nee"
    if isinstance(cell, int | float | Decimal):
        return dutch_number(cell)
    return safe_text(cell)


def table_to_csv(header: list[str], rows: list[list], *, bom: bool = True) -> str:
    """A plain table (e.g. hours per product) in the same Excel-friendly CSV dialect."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([_plain_cell(c) for c in row])
    return buffer.getvalue()


def table_to_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                float(c) if isinstance(c, Decimal) else (safe_text(c) if isinstance(c, str) else c)
                for c in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
