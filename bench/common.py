"""Shared helpers of the benchmark scripts: Django setup, statistics, result files."""

import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", BENCH_DIR / "results"))
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def summary(samples: list[float]) -> dict:
    """Median and spread of repeated timings (seconds)."""
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "stdev": statistics.stdev(ordered) if len(ordered) > 1 else 0.0,
        "samples": ordered,
    }


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(function, repeat: int, *, warmup: int = 1) -> dict:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return summary(samples)


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {"name": name, "recorded_at": time.strftime("%Y-%m-%d %H:%M:%S"), **data}
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    print(f"-> {path}")
    return path


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    pg = ""
    pg_bin = os.environ.get("BENCH_PG_BIN")
    if pg_bin:
        pg = subprocess.run(
            [f"{pg_bin}/postgres", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "postgresql": pg,
        "python": platform.python_version(),
        "load_average": load,
    }
