"""Downloads of the rolled-up figures for Excel: the indicator table and hours per product,
as CSV (';', decimal comma, UTF-8 BOM) or XLSX. They read only IndicatorValue, apply the
publication rules of `selectors.published_row`, and hold aggregates, never a person."""

import logging

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import exports, selectors
from .models import Indicator, IndicatorValue, ValueStatus
from .periods import parse_period

logger = logging.getLogger(__name__)

export_indicators = permission_required("reporting.export_indicators", raise_exception=True)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_FORMATS = ("csv", "xlsx")

HOURS_CODES = ("uren_gerealiseerd", "uren_medewerkers", "uren_vrijwilligers")
REALISATION_CODE = "uren_realisatie_pct"

# A 400 with the reason in Dutch, in the look of the generic error pages.
BAD_REQUEST_PAGE = engines["django"].from_string(
    '{% extends "errors/minimal.html" %}{% load i18n %}'
    '{% block title %}{% translate "Ongeldig verzoek" %}{% endblock %}'
    '{% block heading %}{% translate "Export niet mogelijk" %}{% endblock %}'
    "{% block message %}{{ message }}{% endblock %}"
)


class BadExportRequest(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(BAD_REQUEST_PAGE.render({"message": message}), status=400)


def _period_key(request) -> str:
    """?period= (2025, 2025-H1, 2025-Q2, 2025-03); the current year when absent."""
    key = request.GET.get("period") or str(timezone.localdate().year)
    try:
        return parse_period(key).key
    except ValidationError as error:
        raise BadExportRequest(" ".join(error.messages)) from error


def _indicator_code(request) -> str | None:
    code = request.GET.get("indicator") or None
    if code and not Indicator.objects.filter(code=code).exists():
        raise BadExportRequest(_("Onbekende indicator %(code)s.") % {"code": code})
    return code


def _download(content, *, file_format: str, file_name: str) -> HttpResponse:
    if file_format == "csv":
        response = HttpResponse(content.encode("utf-8"), content_type=CSV_TYPE)
    else:
        response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}.{file_format}"'
    return response


def _log_download(request, *, what: str, file_format: str, period: str, indicator=None) -> None:
    # Aggregates only; who downloaded what is kept for accountability (user id, not a name).
    logger.info(
        "Export %s (%s) period=%s indicator=%s by user_id=%s",
        what,
        file_format,
        period,
        indicator or "alle",
        request.user.pk,
    )


def _checked_format(file_format: str) -> str:
    if file_format not in FILE_FORMATS:
        raise Http404
    return file_format


@require_GET
@export_indicators
def indicators_export(request, file_format: str):
    """The indicator table of one period, every breakdown, small counts as "<5"."""
    file_format = _checked_format(file_format)
    try:
        period = _period_key(request)
        indicator = _indicator_code(request)
    except BadExportRequest as error:
        return _bad_request(error.message)
    rows = selectors.published_rows(selectors.indicator_values(period=period, indicator=indicator))
    file_name = f"indicatoren-{period}" + (f"-{indicator}" if indicator else "")
    content = (
        exports.to_csv(rows) if file_format == "csv" else exports.to_xlsx(rows, title=file_name)
    )
    _log_download(
        request, what="indicatoren", file_format=file_format, period=period, indicator=indicator
    )
    return _download(content, file_format=file_format, file_name=file_name)


def hours_per_product_table(period: str) -> tuple[list[str], list[list]]:
    """Per product (and in total): realised, staff and volunteer hours, the budgeted hours of
    the period and the realisation %. Read from the rolled-up values (all kernen) only."""
    header = [
        _("Product"),
        _("Gerealiseerde uren"),
        _("Uren medewerkers"),
        _("Uren vrijwilligers"),
        _("Begrote uren"),
        _("Realisatie (%)"),
        _("Status"),
    ]
    values = (
        IndicatorValue.objects.with_status()
        .filter(
            period__key=period,
            indicator__code__in=(*HOURS_CODES, REALISATION_CODE),
            area__isnull=True,
            area_unknown=False,
        )
        .select_related("indicator", "period", "product")
        .order_by("product__position", "product__name")
    )
    by_product: dict = {}
    for value in values:
        product = value.product
        key = product.pk if product else None
        entry = by_product.setdefault(key, {"product": product, "rows": {}})
        entry["rows"][value.indicator.code] = (value, selectors.published_row(value))

    def number(rows: dict, code: str, field: str = "value"):
        if code not in rows:
            return None
        value, row = rows[code]
        return selectors.SUPPRESSED_TEXT if row["suppressed"] and field == "value" else row[field]

    def status(rows: dict) -> str:
        statuses = {str(ValueStatus(value.status).label) for value, _row in rows.values()}
        return ", ".join(sorted(statuses))

    table = []
    ordered = [e for k, e in by_product.items() if k is not None]
    if None in by_product:
        ordered.append(by_product[None])
    for entry in ordered:
        rows = entry["rows"]
        table.append(
            [
                entry["product"].name if entry["product"] else _("Totaal"),
                *(number(rows, code) for code in HOURS_CODES),
                number(rows, REALISATION_CODE, "denominator"),
                number(rows, REALISATION_CODE),
                status(rows),
            ]
        )
    return header, table


@require_GET
@export_indicators
def hours_per_product_export(request, file_format: str):
    file_format = _checked_format(file_format)
    try:
        period = _period_key(request)
    except BadExportRequest as error:
        return _bad_request(error.message)
    header, table = hours_per_product_table(period)
    file_name = f"uren-per-product-{period}"
    content = (
        exports.table_to_csv(header, table)
        if file_format == "csv"
        else exports.table_to_xlsx(header, table, title=file_name)
    )
    _log_download(request, what="uren per product", file_format=file_format, period=period)
    return _download(content, file_format=file_format, file_name=file_name)
