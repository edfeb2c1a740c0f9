"""Distinct computations (persons reached, active volunteers, active matches): counts of
persons active in a period, which are not additive over months. The declarations that use
them are in `reporting.computations` (DISTINCT)."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from .figures import ALL, Figures, Key, _area_key


@dataclass(frozen=True)
class DistinctComputation:
    """COUNT(DISTINCT counted) per breakdown over the rows that are *active* in a period.

    A row is active from the date in `active_from` until the date in `active_until` (NULL:
    still running; no field: that one day), so it counts in every period it overlaps.
    """

    rows: Callable[[], QuerySet]  # the period-independent filters
    active_from: str
    active_until: str | None
    counted: str
    product: str
    area: Callable[[], object]
    # Other models (labels) whose changes move it: the person whose kern it is counted under.
    also_reads: frozenset[str] = frozenset()

    @property
    def reads(self) -> frozenset[str]:
        return frozenset({self.rows().model._meta.label}) | self.also_reads

    def queryset(self, period) -> QuerySet:
        until = self.active_until or self.active_from
        return self.rows().filter(
            Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": period.start}),
            **{f"{self.active_from}__lte": period.end},
        )

    def compute(self, period) -> dict[Key, Figures]:
        return self.compute_many([period]).get(period, {})

    def compute_many(self, periods) -> dict:
        """{period: {key: Figures}} for whole-month periods."""
        periods = list(periods)
        if not periods:
            return {}
        if connection.vendor == "postgresql":
            return self._compute_with_grouping_sets(periods)
        return {period: self._compute_per_breakdown(period) for period in periods}

    def _compute_with_grouping_sets(self, periods) -> dict:
        """PostgreSQL: the periods of one year and the four breakdowns in one statement,
        without sorting for COUNT(DISTINCT).

        Periods consist of whole months of one year, so all that decides whether a row counts
        in a period is which months of the year it covers: a 12-bit mask. The masks are OR-ed
        per counted person (or match) within each breakdown (GROUPING SETS), and a period then
        counts the persons whose mask shares a month with the period's mask — one FILTER
        column per period. GROUPING() tells a rolled-up "all" apart from a real NULL kern
        ("onbekend")."""
        result: dict = {period: {} for period in periods}
        by_year: dict[int, list] = defaultdict(list)
        for period in periods:
            by_year[period.year].append(period)
        for year, year_periods in by_year.items():
            for key, counts in self._year_rows(year, year_periods):
                for period, n in zip(year_periods, counts, strict=True):
                    if n:
                        result[period][key] = Figures(Decimal(n))
        return result

    def _year_rows(self, year: int, periods: list):
        until = self.active_until or self.active_from
        first = min(p.start for p in periods)
        last = max(p.end for p in periods)
        inner = (
            self.rows()
            .filter(
                Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": first}),
                **{f"{self.active_from}__lte": last},
            )
            .annotate(
                rollup_counted=F(self.counted),
                rollup_product=F(self.product),
                rollup_area=self.area(),
                rollup_from=F(self.active_from),
                rollup_until=F(until),
            )
            .values(
                "rollup_counted", "rollup_product", "rollup_area", "rollup_from", "rollup_until"
            )
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        period_columns = ", ".join(["COUNT(*) FILTER (WHERE months & %s <> 0)"] * len(periods))
        period_masks = [
            ((1 << period.months) - 1) << (period.first_month - 1) for period in periods
        ]
        # The inner query is compiled by Django with bound parameters; nothing user-typed here.
        statement = MONTH_MASK_SQL.format(inner=sql, period_columns=period_columns)
        year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        with connection.cursor() as cursor:
            cursor.execute(statement, [year_start, year_end, *params, *period_masks])
            for product_id, area_id, all_products, all_areas, *counts in cursor.fetchall():
                key = (
                    None if all_products else product_id,
                    None if all_areas else _area_key(area_id),
                )
                yield key, counts

    def _compute_per_breakdown(self, period) -> dict[Key, Figures]:
        rows = self.queryset(period).order_by()
        count = Count(self.counted, distinct=True)
        result: dict[Key, Figures] = {}
        total = rows.aggregate(n=count)["n"] or 0
        if total:
            result[ALL] = Figures(Decimal(total))
        for product_id, n in (
            rows.values_list(self.product).annotate(n=count).values_list(self.product, "n")
        ):
            result[(product_id, None)] = Figures(Decimal(n))
        for area_id, n in (
            rows.annotate(rollup_area=self.area())
            .values_list("rollup_area")
            .annotate(n=count)
            .values_list("rollup_area", "n")
        ):
            result[(None, _area_key(area_id))] = Figures(Decimal(n))
        for product_id, area_id, n in (
            rows.annotate(rollup_area=self.area())
            .values_list(self.product, "rollup_area")
            .annotate(n=count)
            .values_list(self.product, "rollup_area", "n")
        ):
            result[(product_id, _area_key(area_id))] = Figures(Decimal(n))
        return result


# The months of the year a row covers, as bits 0 (January) to 11 (December): from its first
# month (January when it started before the year) to its last (December when still running or
# ended after the year).
MONTH_MASK_SQL = """
WITH spans AS (
    SELECT DISTINCT rollup_counted, rollup_product, rollup_area,
           CASE WHEN rollup_from < %s THEN 1
                ELSE EXTRACT(MONTH FROM rollup_from)::int END AS first_month,
           CASE WHEN rollup_until IS NULL OR rollup_until > %s THEN 12
                ELSE EXTRACT(MONTH FROM rollup_until)::int END AS last_month
      FROM ({inner}) AS rolled
),
per_person AS (
    SELECT rollup_product, rollup_area,
           GROUPING(rollup_product) AS all_products, GROUPING(rollup_area) AS all_areas,
           BIT_OR(((1 << GREATEST(last_month - first_month + 1, 0)) - 1)
                  << (first_month - 1)) AS months
      FROM spans
     GROUP BY rollup_counted,
              GROUPING SETS ((), (rollup_product), (rollup_area), (rollup_product, rollup_area))
)
SELECT rollup_product, rollup_area, all_products, all_areas, {period_columns}
  FROM per_person
 GROUP BY rollup_product, rollup_area, all_products, all_areas
"""
