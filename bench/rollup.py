"""Full roll-up of one year against the SQL floor and the spreadsheet (pandas) path.

- rollup_all: reporting.services.rollup_year(year) — every indicator, every period of the year
  (12 months, 4 quarters, 2 half-years, the year), four breakdowns each;
- rollup_hours: the same call with only the hour indicators defined (the others deleted inside a
  transaction that is rolled back afterwards): the like-for-like comparison with the floor;
- floor: one hand-written statement — staff + volunteer hours per (month, product, kern) with
  GROUPING SETS for the month and year breakdowns;
- pandas: the same figures the spreadsheet way: read the rows into a DataFrame, group there.

Usage: python -m bench.rollup --scale N [--year 2025] [--repeat 5]
"""

import argparse
import datetime
import os
import time

from bench.common import QUICK, machine, setup_django, summary, write_result

HOUR_INDICATORS = ("uren_gerealiseerd", "uren_medewerkers", "uren_vrijwilligers")

FLOOR_SQL = """
WITH hours AS (
    SELECT date, product_id, kern_id, hours FROM cases_hourregistration
     WHERE date BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT date, product_id, kern_id, hours FROM volunteers_volunteerhours
     WHERE date BETWEEN %(start)s AND %(end)s
)
SELECT date_trunc('month', date) AS month, product_id, kern_id, SUM(hours)
  FROM hours
 GROUP BY GROUPING SETS (
    (month, product_id, kern_id), (month, product_id), (month, kern_id), (month),
    (product_id, kern_id), (product_id), (kern_id), ()
 )
"""

ROWS_SQL = """
SELECT date, product_id, kern_id, hours FROM cases_hourregistration
 WHERE date BETWEEN %(start)s AND %(end)s
UNION ALL
SELECT date, product_id, kern_id, hours FROM volunteers_volunteerhours
 WHERE date BETWEEN %(start)s AND %(end)s
"""


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument(
        "--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 3 if QUICK else 5))
    )
    args = parser.parse_args()
    setup_django()

    import pandas as pd
    from django.db import connection, transaction

    from reporting.models import Indicator, IndicatorValue
    from reporting.services import rollup_year

    bounds = {"start": datetime.date(args.year, 1, 1), "end": datetime.date(args.year, 12, 31)}

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, bounds)
            return cursor.fetchall()

    def spreadsheet():
        with connection.cursor() as cursor:
            cursor.execute(ROWS_SQL, bounds)
            frame = pd.DataFrame(
                cursor.fetchall(), columns=["date", "product_id", "kern_id", "hours"]
            )
        frame["hours"] = frame["hours"].astype(float)
        frame["month"] = pd.to_datetime(frame["date"]).dt.to_period("M")
        frame["kern_id"] = frame["kern_id"].fillna(-1)
        grouped = []
        for keys in (
            ["month", "product_id", "kern_id"],
            ["month", "product_id"],
            ["month", "kern_id"],
            ["month"],
            ["product_id", "kern_id"],
            ["product_id"],
            ["kern_id"],
        ):
            grouped.append(frame.groupby(keys, observed=True)["hours"].sum())
        grouped.append(frame["hours"].sum())
        return grouped

    def hours_only():
        """The roll-up with only the hour indicators defined; rolled back afterwards."""
        try:
            with transaction.atomic():
                Indicator.objects.exclude(code__in=HOUR_INDICATORS).delete()
                rollup_year(args.year)
                raise Rollback
        except Rollback:
            pass

    measured = {
        "floor": floor,
        "pandas": spreadsheet,
        "rollup_all": lambda: rollup_year(args.year),
        "rollup_hours": hours_only,
    }
    print(f"== roll-up, schaal {args.scale}, jaar {args.year}, {args.repeat}x")
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # the generator's writes are not flushed during the runs
    # Interleaved rounds (one warm-up round first): background work on the machine (autovacuum,
    # other jobs) falls on all four alike instead of on whichever ran last.
    samples: dict[str, list[float]] = {name: [] for name in measured}
    for round_number in range(args.repeat + 1):
        for name, function in measured.items():
            started = time.perf_counter()
            function()
            if round_number:
                samples[name].append(time.perf_counter() - started)
    results = {name: summary(values) for name, values in samples.items()}
    for name, label in (
        ("floor", "floor"),
        ("pandas", "pandas"),
        ("rollup_all", "rollup_year (alle indicatoren)"),
        ("rollup_hours", "rollup_year (alleen uren)"),
    ):
        print(f"{label}: {results[name]['median']:.3f} s")
    values = IndicatorValue.objects.filter(period__year=args.year).count()

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cases_hourregistration")
        staff_rows = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM volunteers_volunteerhours")
        volunteer_rows = cursor.fetchone()[0]
    floor_median = results["floor"]["median"]
    write_result(
        f"rollup_scale{args.scale}",
        {
            "scale": args.scale,
            "year": args.year,
            "staff_hour_rows": staff_rows,
            "volunteer_hour_rows": volunteer_rows,
            "indicator_values_written": values,
            "results": results,
            "ratios": {
                "rollup_all_vs_floor": results["rollup_all"]["median"] / floor_median,
                "rollup_hours_vs_floor": results["rollup_hours"]["median"] / floor_median,
                "pandas_vs_floor": results["pandas"]["median"] / floor_median,
                "rollup_all_vs_pandas": results["rollup_all"]["median"]
                / results["pandas"]["median"],
                "rollup_hours_vs_pandas": results["rollup_hours"]["median"]
                / results["pandas"]["median"],
            },
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
