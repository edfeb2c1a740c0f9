"""Reads of the rolled-up values, and the one place where publication safety is applied:
every dashboard, export and API row goes through `published_row`."""

from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Min, QuerySet, Value, When
from django.utils import timezone

from .models import (
    Indicator,
    IndicatorValue,
    PeriodKind,
    QuarantinedPeriod,
    ReportingPeriod,
    RollupRun,
)
from .periods import parse_period

SUPPRESSED_TEXT = "<5"
UNKNOWN_AREA = "onbekend"


def indicator_values(
    *,
    year: int | None = None,
    period: str | None = None,
    indicator: str | None = None,
    product: str | None = None,
    area: str | None = None,
) -> QuerySet[IndicatorValue]:
    """Values filtered like the API: product/area "all" (or None) = every breakdown;
    product slug / kern name / "onbekend" narrows it down. Definitions retired stay readable."""
    values = IndicatorValue.objects.with_status().select_related(
        "indicator", "period", "product", "area"
    )
    if year is not None:
        values = values.filter(period__year=year)
    if period:
        values = values.filter(period__key=parse_period(period).key)
    if indicator:
        values = values.filter(indicator__code=indicator)
    if product:
        values = (
            values.filter(product__isnull=True)
            if product == "all"
            else values.filter(product__slug=product)
        )
    if area:
        if area == "all":
            values = values.filter(area__isnull=True, area_unknown=False)
        elif area == UNKNOWN_AREA:
            values = values.filter(area_unknown=True)
        else:
            values = values.filter(area__name=area)
    kind_order = Case(
        When(period__kind=PeriodKind.MONTH, then=Value(0)),
        When(period__kind=PeriodKind.QUARTER, then=Value(1)),
        When(period__kind=PeriodKind.HALF_YEAR, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return values.order_by(
        "indicator__position",
        "period__year",
        kind_order,
        "period__start_date",
        "product__position",
        "area__name",
        "area_unknown",
    )


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


PUBLISHED_FIELDS = (
    "indicator__code",
    "period__key",
    "product__slug",
    "area__name",
    "area_unknown",
    "value",
    "numerator",
    "denominator",
    "status",
    "suppressed",
)


def _publish(
    code, key, product_slug, area_name, area_unknown, value, numerator, denominator, status,
    suppressed,
) -> dict:  # fmt: skip
    """The export/API shape. A suppressed value publishes no number at all."""
    return {
        "indicator": code,
        "period": key,
        "product": product_slug,
        "area": area_name if area_name else (UNKNOWN_AREA if area_unknown else None),
        "value": None if suppressed else _number(value),
        "numerator": None if suppressed else _number(numerator),
        "denominator": None if suppressed else _number(denominator),
        "status": status,
        "suppressed": suppressed,
    }


def published_row(value: IndicatorValue) -> dict:
    return _publish(
        value.indicator.code,
        value.period.key,
        value.product.slug if value.product_id else None,
        value.area.name if value.area_id else None,
        value.area_unknown,
        value.value,
        value.numerator,
        value.denominator,
        value.status,
        value.suppressed,
    )


def published_rows(values) -> list[dict]:
    """Rows of a queryset are read as plain tuples (a year holds tens of thousands)."""
    if isinstance(values, QuerySet):
        return [_publish(*row) for row in values.values_list(*PUBLISHED_FIELDS)]
    return [published_row(v) for v in values]


def active_indicators(on=None) -> QuerySet[Indicator]:
    on = on or timezone.localdate()
    return Indicator.objects.filter(active_from__lte=on).exclude(active_to__lt=on)


def periods_with_values() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(computed_at__isnull=False)


def latest_run() -> RollupRun | None:
    return RollupRun.objects.order_by("-created_at").first()


def quarantine_summary() -> dict | None:
    """How many marks the roll-up set aside and since when, for the beheerder's warning on
    the dashboard; None when there are none. One query."""
    summary = QuarantinedPeriod.objects.filter(quarantined_at__isnull=False).aggregate(
        count=Count("id"), since=Min("quarantined_at")
    )
    return summary if summary["count"] else None
