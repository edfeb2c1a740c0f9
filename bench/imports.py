"""Import of a million hour rows with `manage.py import_hours` in a child process: rows per
second (wall clock, both passes: check and insert) and the child's peak memory (max RSS from
resource.getrusage(RUSAGE_CHILDREN) after it exits).

The file uses the generated social workers and products, dates in the year before the data
year (so the 24-hour rule is checked against real rows but never violated).

Usage: python -m bench.imports --scale N [--rows 1000000] [--repeat 2]
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import tempfile
import time

from bench.common import QUICK, ROOT, machine, setup_django, summary, write_result


def write_file(path, rows: int, year: int, seed: int) -> None:
    from catalogue.models import Area, AreaKind, Product
    from meerwaarde.accounts.models import Role, User

    rng = random.Random(seed)
    workers = list(
        User.objects.filter(role=Role.SOCIAL_WORKER)
        .order_by("pk")
        .values_list("username", flat=True)
    )
    products = list(Product.objects.values_list("slug", flat=True))
    kernen = list(Area.objects.filter(kind=AreaKind.KERN).values_list("name", flat=True))
    days = [datetime.date(year, 1, 1) + datetime.timedelta(days=d) for d in range(365)]
    days = [d for d in days if d.weekday() < 5]
    kinds = ["direct", "coordinatie", "reistijd"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("datum;medewerker;product;uren;kern;soort\n")
        # Round robin over (worker, day): at most ceil(rows / pairs) rows of ≤ 0,5 hour each.
        pairs = len(workers) * len(days)
        for index in range(rows):
            pair = index % pairs
            worker = workers[pair % len(workers)]
            day = days[pair // len(workers)]
            handle.write(
                f"{day:%d-%m-%Y};{worker};{rng.choice(products)};"
                f"{rng.choice(('0,25', '0,5'))};{rng.choice(kernen)};{rng.choice(kinds)}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--rows", type=int, default=100_000 if QUICK else 1_000_000)
    parser.add_argument(
        "--repeat", type=int, default=int(os.environ.get("BENCH_IMPORT_REPEAT", 1 if QUICK else 2))
    )
    args = parser.parse_args()
    setup_django()

    work = os.environ.get("BENCH_WORK") or tempfile.gettempdir()
    rates, seconds, peaks = [], [], []
    for attempt in range(args.repeat):
        path = os.path.join(work, f"import_{args.rows}_{attempt}.csv")
        write_file(path, args.rows, args.year - 1 - attempt, seed=attempt)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        started = time.perf_counter()
        subprocess.run(
            [
                str(ROOT / ".venv/bin/python"),
                "manage.py",
                "import_hours",
                path,
                "--door",
                "bench_beheerder",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        elapsed = time.perf_counter() - started
        # Max RSS of the largest child waited for so far; every child before was smaller
        # or this same command, so it is this import's peak (kilobytes on Linux).
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        os.unlink(path)
        rates.append(args.rows / elapsed)
        seconds.append(elapsed)
        peaks.append(peak_mb)
        print(
            f"import {attempt}: {elapsed:.1f} s, {args.rows / elapsed:,.0f} regels/s, "
            f"piek {peak_mb:.0f} MB"
        )
    write_result(
        f"import_scale{args.scale}",
        {
            "scale": args.scale,
            "rows": args.rows,
            "seconds": summary(seconds),
            "rows_per_second": summary(rates),
            "peak_rss_mb": max(peaks),
            "peak_rss_mb_samples": peaks,
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
