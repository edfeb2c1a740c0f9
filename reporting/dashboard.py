"""Reads for the manager dashboard. Everything comes from the roll-up tables (IndicatorValue,
ReportingPeriod, Indicator, RollupRun) in a fixed number of queries, however many products,
kernen or months hold values. Publication safety follows `selectors.published_row`: a
suppressed value carries no number at all, only the fact that it is suppressed."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .models import (
    Indicator,
    IndicatorValue,
    PeriodKind,
    ReportingPeriod,
    RollupRun,
    Unit,
)
from .periods import DUTCH_MONTHS, Period, periods_of_year, periods_within
from .selectors import UNKNOWN_AREA, latest_run

HOURS = "uren_gerealiseerd"
REALISATION = "uren_realisatie_pct"
CLIENTS = "clienten_bereikt"
VOLUNTEERS = "vrijwilligers_actief"
MATCH_WAIT = "wachttijd_match_weken"
CASES_CLOSED = "trajecten_afgesloten"
GOAL_REACHED = "doel_behaald_pct"

PER_PRODUCT = (REALISATION, CASES_CLOSED, GOAL_REACHED)
PER_AREA = (HOURS, CLIENTS)
PER_MONTH = (HOURS, REALISATION)
COUNTED_UNITS = (Unit.HOURS, Unit.PERSONS, Unit.COUNT)


@dataclass(frozen=True)
class Figure:
    """One published number; `value`, `numerator` and `denominator` are None when suppressed."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    suppressed: bool = False
    present: bool = False

    @classmethod
    def of(cls, row: IndicatorValue | None) -> "Figure":
        if row is None:
            return cls()
        if row.suppressed:
            return cls(suppressed=True, present=True)
        return cls(row.value, row.numerator, row.denominator, present=True)

    def as_json(self, attribute: str = "value") -> float | None:
        number = getattr(self, attribute)
        return None if number is None else float(number)


ZERO = Figure(Decimal(0), Decimal(0), present=True)


@dataclass
class BreakdownRow:
    label: str
    figures: dict[str, Figure] = field(default_factory=dict)
    sort_key: tuple = ()

    def figure(self, code: str) -> Figure:
        return self.figures.get(code, Figure())

    # Named for the templates, which cannot look up by a variable key. (No __getitem__: the
    # template engine would try it before attributes.)
    hours = property(lambda self: self.figure(HOURS))
    realisation = property(lambda self: self.figure(REALISATION))
    clients = property(lambda self: self.figure(CLIENTS))
    cases_closed = property(lambda self: self.figure(CASES_CLOSED))
    goal_reached = property(lambda self: self.figure(GOAL_REACHED))


@dataclass
class MonitorRow:
    indicator: Indicator
    figure: Figure
    status: str | None
    computed_at: datetime.datetime | None


@dataclass
class Dashboard:
    period: Period
    period_row: ReportingPeriod | None
    totals: dict[str, Figure]
    months: list[BreakdownRow]
    products: list[BreakdownRow]
    areas: list[BreakdownRow]
    monitor: list[MonitorRow]
    run: RollupRun | None

    @property
    def is_computed(self) -> bool:
        return self.period_row is not None and self.period_row.computed_at is not None

    @property
    def is_final(self) -> bool:
        return self.period_row is not None and self.period_row.is_final

    def total(self, code: str) -> Figure:
        return self.totals.get(code, Figure())

    hours = property(lambda self: self.total(HOURS))
    realisation = property(lambda self: self.total(REALISATION))
    clients = property(lambda self: self.total(CLIENTS))
    volunteers = property(lambda self: self.total(VOLUNTEERS))
    match_wait = property(lambda self: self.total(MATCH_WAIT))
    cases_closed = property(lambda self: self.total(CASES_CLOSED))
    goal_reached = property(lambda self: self.total(GOAL_REACHED))

    @property
    def budget_products(self) -> list[BreakdownRow]:
        return [row for row in self.products if row.figure(REALISATION).present]

    @property
    def outcome_products(self) -> list[BreakdownRow]:
        return [
            row
            for row in self.products
            if row.figure(CASES_CLOSED).present or row.figure(GOAL_REACHED).present
        ]

    def chart_data(self) -> dict:
        """What static/reporting/dashboard.js draws; the same numbers as the tables."""
        return {
            "months": {
                "labels": [row.label for row in self.months],
                "hours": [row.figure(HOURS).as_json() for row in self.months],
                "budget": [row.figure(REALISATION).as_json("denominator") for row in self.months],
            },
            "products": {
                "labels": [row.label for row in self.budget_products],
                "hours": [
                    row.figure(REALISATION).as_json("numerator") for row in self.budget_products
                ],
                "budget": [
                    row.figure(REALISATION).as_json("denominator") for row in self.budget_products
                ],
            },
            "areas": {
                "labels": [row.label for row in self.areas],
                "hours": [row.figure(HOURS).as_json() for row in self.areas],
                "clients": [row.figure(CLIENTS).as_json() for row in self.areas],
            },
            "outcomes": {
                "labels": [row.label for row in self.outcome_products],
                "closed": [row.figure(CASES_CLOSED).as_json() for row in self.outcome_products],
                "goal": [row.figure(GOAL_REACHED).as_json() for row in self.outcome_products],
            },
        }


def _is_all(row: IndicatorValue) -> bool:
    return row.product_id is None and row.area_id is None and not row.area_unknown


def _values(period: Period, period_rows: dict, indicator_ids: dict[str, int]):
    """One query: the totals of every indicator, the per-product and per-kern rows the page
    shows, and the monthly totals of hours and budget of the period's year. Conditions on
    period and indicator ids, so PostgreSQL reads only these rows through the (period,
    indicator) index, however many years are stored."""
    selected_row = period_rows.get(period.key)
    month_ids = [row.pk for row in period_rows.values() if row.kind == PeriodKind.MONTH]
    if selected_row is None and not month_ids:
        return IndicatorValue.objects.none()

    def ids(codes):
        return [indicator_ids[code] for code in codes if code in indicator_ids]

    all_areas = Q(area__isnull=True, area_unknown=False)
    selected = Q(period_id=selected_row.pk if selected_row else None) & (
        Q(product__isnull=True, area__isnull=True, area_unknown=False)
        | (Q(indicator_id__in=ids(PER_PRODUCT), product__isnull=False) & all_areas)
        | (Q(indicator_id__in=ids(PER_AREA), product__isnull=True) & ~all_areas)
    )
    monthly = Q(
        period_id__in=month_ids,
        indicator_id__in=ids(PER_MONTH),
        product__isnull=True,
        area__isnull=True,
        area_unknown=False,
    )
    return (
        IndicatorValue.objects.with_status()
        .filter(selected | monthly)
        .select_related("indicator", "period", "product", "area")
    )


def active_indicators_during(period: Period):
    return Indicator.objects.filter(active_from__lte=period.end).exclude(active_to__lt=period.start)


def build_dashboard(period: Period) -> Dashboard:
    period_rows = {row.key: row for row in ReportingPeriod.objects.filter(year=period.year)}
    indicators = list(active_indicators_during(period))
    months = {
        month.key: BreakdownRow(label=DUTCH_MONTHS[month.first_month - 1])
        for month in periods_of_year(period.year)
        if month.kind == PeriodKind.MONTH
    }
    totals_rows: dict[str, IndicatorValue] = {}
    products: dict[int, BreakdownRow] = {}
    areas: dict[object, BreakdownRow] = {}
    indicator_ids = {indicator.code: indicator.pk for indicator in indicators}
    for row in _values(period, period_rows, indicator_ids):
        code = row.indicator.code
        if row.period.key != period.key:
            months[row.period.key].figures[code] = Figure.of(row)
            continue
        if _is_all(row):
            totals_rows[code] = row
            if row.period.kind == PeriodKind.MONTH and row.period.key in months:
                months[row.period.key].figures[code] = Figure.of(row)
        elif row.product_id is not None:
            product = row.product
            breakdown = products.setdefault(
                row.product_id,
                BreakdownRow(label=product.name, sort_key=(product.position, product.name)),
            )
            breakdown.figures[code] = Figure.of(row)
        else:
            label = row.area.name if row.area_id else UNKNOWN_AREA
            breakdown = areas.setdefault(
                row.area_id or UNKNOWN_AREA,
                BreakdownRow(label=label, sort_key=(row.area_unknown, label)),
            )
            breakdown.figures[code] = Figure.of(row)
    period_row = period_rows.get(period.key)
    computed = period_row is not None and period_row.computed_at is not None
    totals = {code: Figure.of(row) for code, row in totals_rows.items()}
    monitor = []
    for indicator in indicators:
        row = totals_rows.get(indicator.code)
        if row is None and computed and indicator.unit in COUNTED_UNITS:
            # The roll-up writes no row where nothing was registered: that is zero.
            totals[indicator.code] = ZERO
        monitor.append(
            MonitorRow(
                indicator=indicator,
                figure=totals.get(indicator.code, Figure()),
                status=row.status if row else (period_row.status if computed else None),
                computed_at=row.computed_at
                if row
                else (period_row.computed_at if computed else None),
            )
        )
    for key, month in months.items():
        month_row = period_rows.get(key)
        if HOURS not in month.figures and month_row is not None and month_row.computed_at:
            month.figures[HOURS] = ZERO
    return Dashboard(
        period=period,
        period_row=period_row,
        totals=totals,
        months=list(months.values()),
        products=sorted(products.values(), key=lambda row: row.sort_key),
        areas=sorted(areas.values(), key=lambda row: row.sort_key),
        monitor=monitor,
        run=latest_run(),
    )


def period_choices(selected: Period, today: datetime.date) -> list[tuple[str, list]]:
    """The period selector: every year with values, the current and the selected year, newest
    first; per year the year, its half-years, quarters and months."""
    years = set(ReportingPeriod.objects.values_list("year", flat=True).distinct())
    years.update({today.year, selected.year})
    groups = []
    for year in sorted(years, reverse=True):
        periods = sorted(periods_of_year(year), key=lambda p: (-p.months, p.first_month))
        groups.append((str(year), [(p.key, p.label) for p in periods]))
    return groups


def periods_to_recompute(period: Period) -> list[str]:
    """A recompute of a period covers the periods inside it and the larger periods of the
    same year that contain it (their totals include its numbers); closed periods are left
    out, the roll-up never touches them."""
    keys = {p.key for p in periods_within(period)}
    keys.update(p.key for p in periods_of_year(period.year) if p.contains(period))
    final = set(
        ReportingPeriod.objects.filter(key__in=keys, closed_at__isnull=False).values_list(
            "key", flat=True
        )
    )
    ordered = sorted(
        (p for p in periods_of_year(period.year) if p.key in keys and p.key not in final),
        key=Period.sort_key,
    )
    return [p.key for p in ordered]
