"""The load run (scripts/load_run.py) in its short version: 10 simulated users for 20
seconds against gunicorn and a Celery worker on the test PostgreSQL and Redis. The full run
(50 users, 3 minutes) is `make load`; its results are in docs/benchmarks.md."""

import datetime
import importlib.util
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cases.models import HourRegistration
from tests.cases_factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "load_run.py"


def load_run_module():
    spec = importlib.util.spec_from_file_location("load_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.services
def test_short_load_run_has_no_5xx_and_every_acknowledged_registration_saved_once(tmp_path):
    assert os.environ.get("DATABASE_URL", "").startswith("postgres"), "run through make test"
    assert os.environ.get("CELERY_BROKER_URL"), "run through make test"
    results = tmp_path / "load.json"
    # A database of its own on the test server (dropped afterwards) and a Redis database of
    # its own, so neither the test database nor the suite's worker queue is touched.
    completed = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "run",
            "--users=10",
            "--duration=20",
            "--fresh-database",
            "--broker-db=7",
            f"--json={results}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    result = json.loads(results.read_text())
    assert result["errors_5xx"] == 0
    assert result["transport_errors"] == 0
    assert not result["missing"] and not result["duplicated"] and not result["wrong"]
    # The run did register through every role's forms, so "nothing missing" means something.
    for kind in ("intake", "hours", "match"):
        assert result["acknowledged"].get(kind, 0) >= 1, output
    names = {row["request"] for row in result["per_request"]}
    assert {"inloggen: versturen", "rapportage: dashboard", "matching: voorstellen"} <= names


@pytest.mark.django_db
def test_the_load_check_reports_missing_duplicated_and_altered_registrations(make_user, catalogue):
    load_run = load_run_module()
    worker = make_user()
    product = catalogue["1-5-gesprekken"]
    today = datetime.date.today()
    for note in ("lt-x uren twice", "lt-x uren twice", "lt-x uren once", "lt-x uren other"):
        HourRegistration.objects.create(
            worker=worker, date=today, hours=Decimal("0.5"), product=product, note=note
        )
    case = CaseFactory(question="lt-x aanmelding saved")
    stats = load_run.Stats()
    hours = {"username": worker.username, "hours": "0,5"}
    stats.acknowledge(kind="hours", marker="lt-x uren twice", **hours)
    stats.acknowledge(kind="hours", marker="lt-x uren once", **hours)
    stats.acknowledge(kind="hours", marker="lt-x uren lost", **hours)
    stats.acknowledge(kind="hours", marker="lt-x uren other", username=worker.username, hours="1")
    stats.acknowledge(kind="intake", marker="lt-x aanmelding saved", case_id=case.pk)
    stats.acknowledge(kind="intake", marker="lt-x aanmelding lost", case_id=case.pk + 1)
    stats.acknowledge(kind="match", match_id=10**9, case_id=case.pk, volunteer_id=1)

    verdict = load_run.check(stats, "lt-x")

    assert sorted(verdict["missing"]) == [
        "aanmelding " + str(case.pk + 1),
        "koppeling 1000000000",
        "uren lt-x uren lost",
    ]
    assert verdict["duplicated"] == ["uren lt-x uren twice"]
    assert verdict["wrong"] == ["uren lt-x uren other"]
