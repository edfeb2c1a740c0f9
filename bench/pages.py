"""Pages served by gunicorn under 8 and 32 concurrent clients, as a ratio to /bench/ping/ (the
cheapest authenticated view) measured in the same run; and, with --queries, the number of
database queries per page in-process (django.test.utils.CaptureQueriesContext).

Every virtual client has its own session (sessions are saved on every request, so shared
sessions would contend on one row). The intake POST registers a case for an existing client
of the bench social worker's team each time (302 to the case).

Usage: python -m bench.pages --scale N [--workers 3] [--seconds 10]
       python -m bench.pages --scale N --queries
"""

import argparse
import datetime
import http.client
import os
import secrets
import signal
import subprocess
import threading
import time
import urllib.parse

from bench.common import QUICK, ROOT, machine, percentile, setup_django, write_result

CSRF_SECRET = secrets.token_hex(16)  # 32 characters: accepted as an unmasked token


def page_specs(year: int) -> list[dict]:
    """(name, role, method, path, form) of every measured page; ids are looked up here."""
    from cases.choices import CaseStatus
    from cases.models import Case, Client
    from catalogue.models import Product
    from meerwaarde.accounts.models import User

    worker = User.objects.get(username="bench_sociaalwerker")
    coordinator = User.objects.get(username="bench_coordinator")
    team = worker.teams.first()
    client = Client.objects.filter(team=team, consents__given=True).order_by("pk").first()
    waiting = (
        Case.objects.filter(
            product__coordinators=coordinator, status=CaseStatus.WAITING_LIST, client__team=team
        )
        .order_by("pk")
        .first()
    )
    product = Product.objects.get(slug="1-5-gesprekken")
    intake_form = {
        "existing_client": str(client.pk),
        "product": str(product.pk),
        "referral_source": "huisarts",
        "question": "Benchmark: zorgen over schulden.",
        "team": str(team.pk),
        "responsible_worker": str(worker.pk),
        "start_status": "aangemeld",
        "registered_on": datetime.date.today().isoformat(),
        "confirmed_criteria": list(product.judgement_criteria),
    }
    return [
        {"name": "trivial", "role": "bench_sociaalwerker", "path": "/bench/ping/"},
        {"name": "case_list", "role": "bench_sociaalwerker", "path": "/trajecten/"},
        {
            "name": "case_list_deep",
            "role": "bench_sociaalwerker",
            "path": "/trajecten/?pagina=last",
        },
        {
            "name": "client_search",
            "role": "bench_sociaalwerker",
            "path": "/trajecten/aanmelding/clienten/?client_query=jan",
        },
        {"name": "intake_get", "role": "bench_sociaalwerker", "path": "/trajecten/aanmelding/"},
        {
            "name": "intake_post",
            "role": "bench_sociaalwerker",
            "path": "/trajecten/aanmelding/",
            "method": "POST",
            "form": intake_form,
            "expect": 302,
        },
        {"name": "catalogue", "role": "bench_sociaalwerker", "path": "/catalogus/"},
        {
            "name": "suggestions",
            "role": "bench_coordinator",
            "path": f"/matching/traject/{waiting.pk}/",
        },
        {"name": "dashboard", "role": "bench_manager", "path": f"/rapportage/?periode={year}"},
        {
            "name": "indicator_export",
            "role": "bench_manager",
            "path": f"/rapportage/export/indicatoren.csv?period={year}",
        },
    ]


def sessions_for(username: str, count: int) -> list[str]:
    from django.conf import settings
    from django.test import Client

    from meerwaarde.accounts.models import User

    user = User.objects.get(username=username)
    cookies = []
    for _ in range(count):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def request_once(port: int, spec: dict, session: str) -> tuple[float, int]:
    from django.conf import settings

    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        "Host": "127.0.0.1",
    }
    body = None
    method = spec.get("method", "GET")
    if method == "POST":
        form = {**spec["form"], "csrfmiddlewaretoken": CSRF_SECRET}
        body = urllib.parse.urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, spec["path"], body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    finally:
        connection.close()
    return time.perf_counter() - started, status


def load(port: int, spec: dict, sessions: list[str], seconds: float) -> dict:
    """`len(sessions)` clients request the page back to back for `seconds` (after a short
    warm-up); returns latency percentiles in milliseconds."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    expected = spec.get("expect", 200)
    warmup_until = time.perf_counter() + min(2.0, seconds / 4)
    stop_at = warmup_until + seconds
    minimum = 1  # each client finishes at least one measured request

    def client(session: str) -> None:
        done = 0
        while True:
            now = time.perf_counter()
            if now >= stop_at and done >= minimum:
                return
            elapsed, status = request_once(port, spec, session)
            if now < warmup_until:
                continue
            with lock:
                latencies.append(elapsed)
                if status != expected:
                    errors.append(status)
            done += 1

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "p50_ms": percentile(ordered, 0.50) * 1000,
        "p95_ms": percentile(ordered, 0.95) * 1000,
        "max_ms": ordered[-1] * 1000 if ordered else None,
        "throughput_rps": len(ordered) / wall if wall else None,
    }


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "180",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def run_load(args) -> None:
    import socket

    year = args.year
    specs = page_specs(year)
    roles = {spec["role"] for spec in specs}
    concurrencies = [8, 32]
    sessions = {role: sessions_for(role, max(concurrencies)) for role in roles}
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = start_gunicorn(port, args.workers)
    results: dict = {}
    try:
        for spec in specs:  # one request each so every worker has warm caches
            for session in sessions[spec["role"]][:4]:
                request_once(port, spec, session)
        for clients in concurrencies:
            results[str(clients)] = {}
            for spec in specs:
                outcome = load(port, spec, sessions[spec["role"]][:clients], args.seconds)
                results[str(clients)][spec["name"]] = outcome
                print(
                    f"{clients:>2} clients {spec['name']:<17} p50 {outcome['p50_ms']:8.1f} ms  "
                    f"p95 {outcome['p95_ms']:8.1f} ms  n={outcome['requests']} "
                    f"fouten={outcome['errors']}"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ratios = {}
    for clients, pages in results.items():
        trivial = pages["trivial"]
        ratios[clients] = {
            name: {
                "p50": page["p50_ms"] / trivial["p50_ms"],
                "p95": page["p95_ms"] / trivial["p95_ms"],
            }
            for name, page in pages.items()
            if name != "trivial"
        }
    write_result(
        f"pages_scale{args.scale}",
        {
            "scale": args.scale,
            "gunicorn_workers": args.workers,
            "seconds_per_page": args.seconds,
            "results": results,
            "ratios": ratios,
            "machine": machine(),
        },
    )


def run_queries(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    specs = page_specs(args.year)
    counts = {}
    for spec in specs:
        client = Client()
        from meerwaarde.accounts.models import User

        client.force_login(
            User.objects.get(username=spec["role"]),
            backend="django.contrib.auth.backends.ModelBackend",
        )

        def call(spec=spec, client=client):
            if spec.get("method") == "POST":
                return client.post(spec["path"], spec["form"])
            return client.get(spec["path"])

        call()  # warm caches (content types, site-wide lookups)
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert response.status_code == spec.get("expect", 200), (spec, response.status_code)
        counts[spec["name"]] = len(captured.captured_queries)
        print(f"{spec['name']:<17} {counts[spec['name']]:>3} queries")
    write_result(f"queries_scale{args.scale}", {"scale": args.scale, "queries": counts})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--year", type=int, default=datetime.date.today().year - 1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("BENCH_PAGE_SECONDS", 4 if QUICK else 10)),
    )
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    setup_django()
    if args.queries:
        run_queries(args)
    else:
        run_load(args)


if __name__ == "__main__":
    main()
