"""Run the load test: prepare the database, start gunicorn and a Celery worker, run Locust
headless with the locustfiles of every role, stop the processes and judge the run.

    python -m loadtest.run --users 50 --duration 180

Works on the database of DATABASE_URL and the broker of CELERY_BROKER_URL (both required,
PostgreSQL and Redis; `scripts/load_run.sh` starts throwaway ones). `--fresh-database`
first creates a new database on that server (and drops it afterwards), so an existing
database is left alone. Exit status 0 when every guarantee held, 1 otherwise.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from loadtest.checks import check_registrations, failures, read_locust_csv
from loadtest.seed import role_counts, seed

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILES = ROOT / "loadtest" / "locustfiles"


def load_environment(args) -> dict:
    """The settings of the load run: production code paths, plain HTTP on localhost and no
    second factor (each simulated user logs in with the password only)."""
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        DEMO_MODE="false",
        REQUIRE_2FA="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        WHITENOISE_USE_FINDERS="true",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="meerwaarde.settings",
    )
    env.setdefault("SECRET_KEY", "load-run-" + secrets.token_urlsafe(40))
    if args.broker_db is not None:
        broker = urllib.parse.urlsplit(env["CELERY_BROKER_URL"])
        env["CELERY_BROKER_URL"] = broker._replace(path=f"/{args.broker_db}").geturl()
        env.pop("CELERY_RESULT_BACKEND", None)
    return env


def create_database(url: str) -> tuple[str, str]:
    """A new, empty database on the server of `url`; returns its URL and name."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"meerwaarde_load_{secrets.token_hex(4)}"
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl(), name


def drop_database(url: str, name: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, process, seconds: float = 60) -> None:
    parsed = urllib.parse.urlsplit(base_url)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopte tijdens het starten.")
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn werd niet gezond binnen de tijd.")


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop(process, seconds: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_locust(args, *, env: dict, base_url: str, work: Path) -> None:
    """Locust headless with every role's locustfile; the users ramp up over at most 10 s.
    The run's own judgement comes afterwards, so Locust's exit status is not used."""
    ramp = min(10.0, args.duration / 4)
    command = [
        sys.executable, "-m", "locust",
        "--locustfile", str(LOCUSTFILES),
        "--headless", "--only-summary",
        "--users", str(args.users),
        "--spawn-rate", f"{args.users / ramp:.2f}",
        "--run-time", f"{int(args.duration)}s",
        "--stop-timeout", str(args.stop_timeout),
        "--host", base_url,
        "--csv", str(work / "locust"),
        "--html", str(work / "locust.html"),
        "--loglevel", "WARNING",
    ]  # fmt: skip
    locust_env = dict(
        env,
        LOAD_PLAN=str(work / "plan.json"),
        LOAD_ACKS=str(work / "acknowledged.jsonl"),
        PYTHONPATH=str(ROOT),
    )
    with (work / "locust.log").open("w") as log:
        subprocess.run(command, env=locust_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if not (work / "locust_stats.csv").exists():
        tail = (work / "locust.log").read_text(errors="replace").splitlines()[-30:]
        print("-- laatste regels van locust.log:", *tail, sep="\n")
        raise SystemExit("Locust schreef geen statistieken: de belastingtest liep niet.")


def read_acknowledged(path: Path) -> tuple[list[dict], dict[str, list[str]]]:
    """The acknowledged registrations and, per request, the reasons forms were refused."""
    acknowledged, refusals = [], {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["kind"] == "refused":
                refusals.setdefault(entry["request"], []).append(entry["reason"])
            else:
                acknowledged.append(entry)
    return acknowledged, refusals


def markdown(result: dict) -> str:
    roles = result["roles"]
    lines = [
        f"{result['users']} gebruikers ({roles['sociaal_werker']} sociaal werkers, "
        f"{roles['coordinator']} coördinatoren, {roles['manager']} managers), "
        f"{result['duration_s']} s: {result['requests']} verzoeken, "
        f"{result['throughput_rps']} verzoeken/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms; 5xx: {result['errors_5xx']}, 4xx: {result['errors_4xx']}, "
        f"verbindingsfouten: {result['transport_errors']}.",
        "",
        "| verzoek | aantal | p50 (ms) | p95 (ms) | max (ms) | mislukt | geweigerd |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["per_request"]:
        refused = len(result["refusals"].get(row["request"], []))
        lines.append(
            f"| {row['request']} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['max_ms']} | {row['failures']} | {refused} |"
        )
    machine = result["machine"]
    acknowledged = ", ".join(f"{k}: {v}" for k, v in result["acknowledged"].items())
    lines += [
        "",
        f"Machine: {machine['cpus']} cores, belasting (load average) "
        f"{machine['load_average_before']} voor en {machine['load_average_after']} na de run.",
        "",
        f"Bevestigde registraties: {acknowledged}. Ontbrekend: {len(result['missing'])}, "
        f"dubbel: {len(result['duplicated'])}, afwijkend: {len(result['wrong'])}.",
    ]
    return "\n".join(lines)


def run(args) -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL moet naar PostgreSQL wijzen.")
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("CELERY_BROKER_URL (Redis) is nodig: de roll-ups lopen via een worker.")
    env = load_environment(args)
    database_name = None
    if args.fresh_database:
        env["DATABASE_URL"], database_name = create_database(env["DATABASE_URL"])
    os.environ.update(env)
    os.chdir(ROOT)
    work = Path(tempfile.mkdtemp(prefix="meerwaarde-load-"))
    server = worker = None
    try:
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        step = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        run_id = f"lt-{uuid.uuid4().hex[:10]}"
        plan = seed(args.users, run_id)
        (work / "plan.json").write_text(json.dumps(plan))
        connections.close_all()
        print(f"== database klaar in {time.monotonic() - step:.0f} s", flush=True)

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = start(
            [
                sys.executable, "-m", "gunicorn", "meerwaarde.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                "--timeout", "60", "--graceful-timeout", "10", "--no-control-socket",
            ],
            env, work / "gunicorn.log",
        )  # fmt: skip
        worker = start(
            [
                sys.executable, "-m", "celery", "-A", "meerwaarde", "worker",
                "--loglevel=WARNING", f"--concurrency={args.celery_concurrency}",
                "--without-gossip", "--without-mingle", "-n", f"load-{run_id}@%h",
            ],
            env, work / "celery.log",
        )  # fmt: skip
        wait_for_health(base_url, server)
        print(
            f"== Locust: {args.users} gebruikers, {args.duration:g} s tegen {base_url} "
            f"(gunicorn {args.workers} workers, Celery-worker {args.celery_concurrency})",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        run_locust(args, env=env, base_url=base_url, work=work)
        stop(server)
        stop(worker)
        acknowledged, refusals = read_acknowledged(work / "acknowledged.jsonl")
        result = {
            "users": args.users,
            "roles": role_counts(args.users),
            "duration_s": args.duration,
            **read_locust_csv(work / "locust"),
            **check_registrations(acknowledged, run_id),
            "refusals": refusals,
            "machine": {
                "cpus": os.cpu_count(),
                "load_average_before": round(load_before, 1),
                "load_average_after": round(os.getloadavg()[0], 1),
            },
        }
        connections.close_all()
        print(markdown(result))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        if refusals:
            examples = {name: reasons[:3] for name, reasons in refusals.items()}
            print(f"Geweigerde formulieren (voorbeelden): {examples}")
        reasons = failures(result, min_per_kind=args.min_per_kind)
        if reasons:
            print("BELASTINGTEST MISLUKT:", *reasons, sep="\n  ")
            print(f"Locust-rapport (locust.html, CSV) en logboeken: {work}")
            for log in ("locust.log", "gunicorn.log", "celery.log"):
                tail = (work / log).read_text(errors="replace").splitlines()[-30:]
                print(f"-- laatste regels van {log}:", *tail, sep="\n")
            return 1
        print("Belastingtest geslaagd: geen 5xx, elke bevestigde registratie precies één keer.")
        if args.report:
            shutil.copy(work / "locust.html", args.report)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    finally:
        stop(server)
        stop(worker)
        if database_name and not args.keep_database:
            from django.db import connections

            connections.close_all()
            drop_database(env["DATABASE_URL"], database_name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument(
        "--stop-timeout", type=int, default=10, help="seconds the users get to finish a task"
    )
    parser.add_argument("--min-per-kind", type=int, default=1)
    parser.add_argument("--fresh-database", action="store_true")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--broker-db", type=int, default=None, help="Redis database number")
    parser.add_argument("--json", help="write the results here as JSON")
    parser.add_argument("--report", help="copy Locust's HTML report here")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
