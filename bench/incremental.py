"""Incremental roll-up: time from committing one hour registration (through
cases.services.hours.register_hours, as the hours page does) to the dashboard's figure
changing, with a real Celery worker on Redis. The figure polled is the one the dashboard
shows: uren_gerealiseerd for the year, all products, all kernen (IndicatorValue).

Usage: python -m bench.incremental --scale N [--repeat 5]
"""

import argparse
import datetime
import os
import signal
import subprocess
import time
from decimal import Decimal

from bench.common import QUICK, ROOT, machine, setup_django, summary, write_result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument(
        "--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 3 if QUICK else 5))
    )
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    setup_django()

    import redis
    from django.conf import settings
    from django.db import transaction

    from cases.choices import HourKind
    from cases.models import Case
    from cases.services.hours import register_hours
    from meerwaarde.accounts.models import User
    from meerwaarde.outbox.models import Change
    from reporting.models import DirtyPeriod, IndicatorValue
    from reporting.services import rollup_year

    # Start from a computed year with an empty outbox and an empty queue.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    Change.objects.all().delete()
    DirtyPeriod.objects.all().delete()
    if not IndicatorValue.objects.filter(period__key=str(args.year)).exists():
        rollup_year(args.year)

    worker_user = User.objects.get(username="bench_sociaalwerker")
    case = Case.objects.filter(team__in=worker_user.teams.all()).order_by("pk").first()

    def figure():
        return (
            IndicatorValue.objects.filter(
                indicator__code="uren_gerealiseerd",
                period__key=str(args.year),
                product__isnull=True,
                area__isnull=True,
                area_unknown=False,
            )
            .values_list("value", flat=True)
            .first()
        )

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    celery = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "meerwaarde",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "warning",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    samples, rollup_periods = [], []
    try:
        time.sleep(5)  # the worker connects and is ready
        day = datetime.date(args.year, 11, 3)
        for attempt in range(args.repeat + 1):
            before = figure()
            with transaction.atomic():
                register_hours(
                    worker=worker_user,
                    date=day + datetime.timedelta(days=attempt % 4),
                    hours=Decimal("0.25"),
                    product=case.product,
                    kind=HourKind.DIRECT,
                    case=case,
                    created_by=worker_user,
                )
            committed = time.perf_counter()
            while figure() == before:
                if time.perf_counter() - committed > args.timeout:
                    raise RuntimeError("the dashboard figure did not change")
                time.sleep(0.02)
            elapsed = time.perf_counter() - committed
            print(f"registratie {attempt}: {elapsed:.2f} s tot het dashboard")
            if attempt:  # the first one also warms the worker
                samples.append(elapsed)
            while Change.objects.exists() or DirtyPeriod.objects.exists():
                time.sleep(0.05)
            rollup_periods.append(figure())
    finally:
        os.killpg(celery.pid, signal.SIGTERM)
        celery.wait(timeout=60)
    write_result(
        f"incremental_scale{args.scale}",
        {
            "scale": args.scale,
            "year": args.year,
            "commit_to_dashboard": summary(samples),
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
