"""The figures of a roll-up and the writing of its value rows, for `reporting.services`:
the month and person-count figures computed once per run, a longer period summed from its
months, the suppression of small counts, and the bulk insert (COPY on PostgreSQL)."""

from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum

from .computations import ADDITIVE, ALL, DERIVED, DISTINCT, UNKNOWN, Figures, expand
from .models import Indicator, IndicatorValue, PeriodKind, Unit
from .periods import Period

SUPPRESSION_THRESHOLD = 5
CENT = Decimal("0.01")


def _month_figures(indicators, months: list[Period]) -> dict:
    """{code: {month: {(product, area): Figures}}} for the additive indicators, one GROUP BY
    per source table (shared between indicators using the same table)."""
    if not months:
        return {}
    start = min(m.start for m in months)
    end = max(m.end for m in months)
    result = {}
    shared_scans: dict = {}
    for indicator in indicators:
        computation = ADDITIVE.get(indicator.computation)
        if computation is None:
            continue
        result[indicator.code] = computation.month_finest(months, start, end, shared_scans)
    return result


def _distinct_figures(indicators, periods: list[Period]) -> dict:
    """{code: {period: {key: Figures}}} for the person counts: one statement per indicator
    for all the periods of the run."""
    return {
        indicator.code: DISTINCT[indicator.computation].compute_many(periods)
        for indicator in indicators
        if indicator.computation in DISTINCT
    }


def _months_are_in_this_run(indicator: Indicator, period: Period, by_month: dict) -> bool:
    return all(
        month in by_month and indicator.is_active_between(month.start, month.end)
        for month in period.month_periods()
    )


def _summed_month_finest(months: list[dict]) -> dict:
    """A longer period from its months computed in this run, summed as the stored (rounded)
    month values would be — the same result as _stored_month_finest without reading them."""
    finest: dict = {}
    for month in months:
        for key, figures in month.items():
            total = finest.setdefault(
                key, Figures(denominator=None if figures.denominator is None else Decimal(0))
            )
            total.add(
                figures.numerator.quantize(CENT),
                None if figures.denominator is None else figures.denominator.quantize(CENT),
            )
    return finest


def _stored_month_finest(indicator: Indicator, period: Period) -> dict:
    """The finest-grain (product × kern) month values of `period`, summed in the database."""
    rows = (
        IndicatorValue.objects.filter(
            indicator=indicator,
            period__key__in=[m.key for m in period.month_periods()],
            product__isnull=False,
        )
        .filter(Q(area__isnull=False) | Q(area_unknown=True))
        .values_list("product_id", "area_id")
        .annotate(numerator_sum=Sum("numerator"), denominator_sum=Sum("denominator"))
        .order_by()
    )
    finest = {}
    for product_id, area_id, numerator, denominator in rows:
        finest[(product_id, area_id if area_id is not None else UNKNOWN)] = Figures(
            numerator or Decimal(0), denominator
        )
    return finest


def _figures_for(indicator, period, precomputed, computed: dict) -> dict:
    code = indicator.computation
    if code in ADDITIVE:
        computation = ADDITIVE[code]
        by_month = precomputed.get(indicator.code, {})
        if period.kind == PeriodKind.MONTH:
            finest = by_month.get(period, {})
        elif _months_are_in_this_run(indicator, period, by_month):
            finest = _summed_month_finest([by_month[m] for m in period.month_periods()])
        else:
            finest = _stored_month_finest(indicator, period)
        return expand(finest, denominators=computation.has_denominator)
    if code in DISTINCT:
        return precomputed[indicator.code][period]
    if code in DERIVED:
        base_code, derive = DERIVED[code]
        return derive(period, computed.get(base_code, {}))
    raise ValueError(f"Unknown computation {code!r} for indicator {indicator.code}")


def _is_suppressed(indicator: Indicator, key, figures: Figures, value) -> bool:
    if not indicator.counts_persons or key == ALL:
        return False
    if indicator.unit in (Unit.PERCENT, Unit.WEEKS):
        count = figures.denominator or Decimal(0)
    else:
        count = figures.numerator
    return 0 < count < SUPPRESSION_THRESHOLD


VALUE_COLUMNS = (
    "indicator_id",
    "period_id",
    "product_id",
    "area_id",
    "area_unknown",
    "value",
    "numerator",
    "denominator",
    "suppressed",
    "computed_at",
)


def _copy_null(value) -> object:
    return "\\N" if value is None else value


def _copy_line(row: tuple, computed_at: str) -> str:
    """One value row in COPY's text format. Only numbers and booleans are written here:
    nothing needs escaping."""
    indicator, period, product, area, unknown, value, numerator, denominator, hidden, _ = row
    return (
        f"{indicator}\t{period}\t{_copy_null(product)}\t{_copy_null(area)}\t"
        f"{'t' if unknown else 'f'}\t{_copy_null(value)}\t{numerator}\t"
        f"{_copy_null(denominator)}\t{'t' if hidden else 'f'}\t{computed_at}\n"
    )


def _write_values(rows: list[tuple]) -> None:
    """Insert value rows (all with the same computed_at): COPY on PostgreSQL (no model
    objects), bulk insert elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        statement = f"COPY {IndicatorValue._meta.db_table} ({', '.join(VALUE_COLUMNS)}) FROM STDIN"
        computed_at = rows[0][-1].isoformat()
        text = "".join(_copy_line(row, computed_at) for row in rows)
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            copy.write(text)
        return
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(**dict(zip(VALUE_COLUMNS, row, strict=True))) for row in rows],
        batch_size=2000,
    )
