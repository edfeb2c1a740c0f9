"""The load run (Locust, `loadtest/`) in its short version: 10 simulated users for 20
seconds against gunicorn and a Celery worker on the test PostgreSQL and Redis. The full run
(50 users, 3 minutes) is `make load`; its results are in docs/benchmarks.md."""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cases.models import HourRegistration
from loadtest.checks import check_registrations, failures, read_locust_csv
from tests.cases_factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


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
            "-m",
            "loadtest.run",
            "--users=10",
            "--duration=20",
            "--fresh-database",
            "--broker-db=7",
            f"--json={results}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    result = json.loads(results.read_text())
    assert result["errors_5xx"] == 0
    assert result["transport_errors"] == 0
    assert result["failed_requests"] == 0
    assert result["user_errors"] == 0
    assert not result["missing"] and not result["duplicated"] and not result["wrong"]
    # The run did register through every role's forms, so "nothing missing" means something.
    for kind in ("intake", "hours", "match"):
        assert result["acknowledged"].get(kind, 0) >= 1, output
    names = {row["request"] for row in result["per_request"]}
    assert {"inloggen: versturen", "rapportage: dashboard", "matching: voorstellen"} <= names


@pytest.mark.django_db
def test_the_load_check_reports_missing_duplicated_and_altered_registrations(make_user, catalogue):
    worker = make_user()
    product = catalogue["1-5-gesprekken"]
    today = datetime.date.today()
    for note in ("lt-x uren twice", "lt-x uren twice", "lt-x uren once", "lt-x uren other"):
        HourRegistration.objects.create(
            worker=worker, date=today, hours=Decimal("0.5"), product=product, note=note
        )
    case = CaseFactory(question="lt-x aanmelding saved")
    hours = {"kind": "hours", "username": worker.username, "hours": "0,5"}
    acknowledged = [
        {**hours, "marker": "lt-x uren twice"},
        {**hours, "marker": "lt-x uren once"},
        {**hours, "marker": "lt-x uren lost"},
        {**hours, "marker": "lt-x uren other", "hours": "1"},
        {"kind": "intake", "marker": "lt-x aanmelding saved", "case_id": case.pk},
        {"kind": "intake", "marker": "lt-x aanmelding lost", "case_id": case.pk + 1},
        {"kind": "match", "match_id": 10**9, "case_id": case.pk, "volunteer_id": 1},
    ]

    verdict = check_registrations(acknowledged, "lt-x")

    assert sorted(verdict["missing"]) == [
        "aanmelding " + str(case.pk + 1),
        "koppeling 1000000000",
        "uren lt-x uren lost",
    ]
    assert verdict["duplicated"] == ["uren lt-x uren twice"]
    assert verdict["wrong"] == ["uren lt-x uren other"]
    assert verdict["acknowledged"] == {"hours": 4, "intake": 2, "match": 1}


def write_locust_csv(prefix: Path, *, failures_rows: str, exceptions_rows: str = "") -> None:
    prefix.with_name(prefix.name + "_stats.csv").write_text(
        STATS_HEADER
        + "GET,uren: weekoverzicht,40,2,250,260,90,900,5000,2.0,0.1,"
        + "250,270,280,300,400,480,600,800,900,900,900\n"
        + "POST,uren: opslaan,20,1,240,250,80,700,0,1.0,0.05,"
        + "240,260,270,290,390,470,590,700,700,700,700\n"
        + ",Aggregated,60,3,245,255,80,900,3333,3.0,0.15,"
        + "245,265,275,295,395,475,595,790,900,900,900\n"
    )
    prefix.with_name(prefix.name + "_failures.csv").write_text(
        "Method,Name,Error,Occurrences,First Seen,Last Seen\n" + failures_rows
    )
    prefix.with_name(prefix.name + "_exceptions.csv").write_text(
        "Count,Message,Traceback,Nodes\n" + exceptions_rows
    )


def clean_database_verdict() -> dict:
    return {
        "acknowledged": {"hours": 3, "intake": 1, "match": 1},
        "missing": [],
        "duplicated": [],
        "wrong": [],
    }


def test_the_load_verdict_counts_5xx_and_unanswered_requests_from_locusts_statistics(tmp_path):
    prefix = tmp_path / "locust"
    write_locust_csv(
        prefix,
        failures_rows=(
            "GET,uren: weekoverzicht,CatchResponseError('status 502'),2,x,y\n"
            'POST,uren: opslaan,"CatchResponseError(""geen antwoord: '
            'ConnectionResetError(104, \'reset\')"")",1,x,y\n'
        ),
        exceptions_rows="1,AttributeError,traceback,local\n",
    )

    result = {**read_locust_csv(prefix), **clean_database_verdict()}

    assert (result["requests"], result["failed_requests"]) == (60, 3)
    assert (result["errors_5xx"], result["transport_errors"], result["errors_4xx"]) == (2, 1, 0)
    assert result["user_errors"] == 1
    assert [row["request"] for row in result["per_request"]] == [
        "uren: opslaan",
        "uren: weekoverzicht",
    ]
    assert failures(result) == [
        "2 antwoorden met een 5xx-status",
        "1 verzoeken zonder antwoord",
        "1 fouten in de gesimuleerde gebruikers (Locust)",
    ]


def test_a_run_without_failures_or_lost_registrations_passes(tmp_path):
    prefix = tmp_path / "locust"
    write_locust_csv(prefix, failures_rows="")

    result = {**read_locust_csv(prefix), **clean_database_verdict()}

    assert failures(result) == []
    assert failures({**result, "acknowledged": {"hours": 3, "intake": 1}}) == [
        "te weinig bevestigde registraties van soort match"
    ]
