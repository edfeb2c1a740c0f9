"""The verdict of a load run: what Locust counted (`read_locust_csv`: no 5xx, no request
without an answer, no other failed request) and what the database holds
(`check_registrations`: every acknowledged registration exactly once), and no error
inside the simulated users themselves (Locust's exceptions). `failures` lists
the reasons a run failed, in Dutch; an empty list is a passed run."""

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

STATUS = re.compile(r"status (\d{3})")


def read_locust_csv(prefix: str | Path) -> dict:
    """Locust's `--csv` statistics: the requests per name and the failures by kind. A
    failure the users report carries the status ("status 500"); one without a status is a
    request that got no answer."""
    with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    per_request, total = [], None
    for row in rows:
        entry = {
            "request": row["Name"],
            "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": round(float(row["50%"] or 0)),
            "p95_ms": round(float(row["95%"] or 0)),
            "max_ms": round(float(row["Max Response Time"] or 0)),
            "rps": float(row["Requests/s"] or 0),
        }
        if row["Name"] == "Aggregated":
            total = entry
        else:
            per_request.append(entry)
    errors_5xx = errors_4xx = transport = other = 0
    with open(f"{prefix}_failures.csv", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            occurrences = int(row["Occurrences"])
            status = STATUS.search(row["Error"])
            code = int(status.group(1)) if status else 0
            if code >= 500:
                errors_5xx += occurrences
            elif code >= 400:
                errors_4xx += occurrences
            elif "geen antwoord" in row["Error"] or not status:
                transport += occurrences
            else:
                other += occurrences
    user_errors = 0
    exceptions = Path(f"{prefix}_exceptions.csv")
    if exceptions.exists():
        with exceptions.open(encoding="utf-8", newline="") as file:
            user_errors = sum(int(row["Count"]) for row in csv.DictReader(file))
    total = total or {"count": 0, "failures": 0, "p50_ms": 0, "p95_ms": 0, "rps": 0.0}
    return {
        "requests": total["count"],
        "throughput_rps": round(total["rps"], 1),
        "p50_ms": total["p50_ms"],
        "p95_ms": total["p95_ms"],
        "failed_requests": total["failures"],
        "errors_5xx": errors_5xx,
        "errors_4xx": errors_4xx,
        "transport_errors": transport,
        "other_failures": other,
        "user_errors": user_errors,
        "per_request": sorted(per_request, key=lambda entry: entry["request"]),
    }


def check_registrations(acknowledged: list[dict], run_id: str) -> dict:
    """Every acknowledged registration in the database exactly once, with the user, hours
    and status the application acknowledged. Runs inside Django."""
    from django.db.models import Count

    from cases.models import Case, HourRegistration
    from volunteers.models import Match

    missing, duplicated, wrong = [], [], []

    def judge(label, count, ok=True):
        if count == 0:
            missing.append(label)
        elif count > 1:
            duplicated.append(label)
        elif not ok:
            wrong.append(label)

    acks = defaultdict(list)
    for record in acknowledged:
        acks[record["kind"]].append(record)

    intakes = dict(
        Case.objects.filter(question__startswith=run_id)
        .values("question")
        .annotate(n=Count("id"))
        .values_list("question", "n")
    )
    case_ids = dict(Case.objects.filter(question__startswith=run_id).values_list("question", "id"))
    for record in acks["intake"]:
        judge(
            f"aanmelding {record['case_id']}",
            intakes.get(record["marker"], 0),
            case_ids.get(record["marker"]) == record["case_id"],
        )
    hours = {
        row["note"]: row
        for row in HourRegistration.objects.filter(note__startswith=run_id)
        .values("note", "worker__username", "hours")
        .annotate(n=Count("id"))
    }
    for record in acks["hours"]:
        row = hours.get(record["marker"])
        judge(
            f"uren {record['marker']}",
            row["n"] if row else 0,
            bool(row)
            and row["worker__username"] == record["username"]
            and row["hours"] == Decimal(record["hours"].replace(",", ".")),
        )
    matches = {m.pk: m for m in Match.objects.all()}
    pair_counts = {
        (row["case_id"], row["volunteer_id"]): row["n"]
        for row in Match.objects.values("case_id", "volunteer_id").annotate(n=Count("id"))
    }
    for record in acks["match"]:
        match = matches.get(record["match_id"])
        judge(
            f"koppeling {record['match_id']}",
            pair_counts.get((record["case_id"], record["volunteer_id"]), 0) if match else 0,
            match is not None
            and (match.case_id, match.volunteer_id) == (record["case_id"], record["volunteer_id"]),
        )
    for record in acks["match_status"]:
        match = matches.get(record["match_id"])
        judge(
            f"status van koppeling {record['match_id']}",
            1 if match else 0,
            match is not None and match.status == record["status"],
        )
    saved_unacknowledged = (len(intakes) - len(acks["intake"])) + (len(hours) - len(acks["hours"]))
    return {
        "acknowledged": {kind: len(records) for kind, records in sorted(acks.items()) if records},
        "missing": missing,
        "duplicated": duplicated,
        "wrong": wrong,
        "saved_without_acknowledgement": saved_unacknowledged,
    }


def failures(result: dict, *, min_per_kind: int = 1) -> list[str]:
    """Why the run failed (Dutch, for the report); empty when every guarantee held."""
    reasons = []
    if result["errors_5xx"]:
        reasons.append(f"{result['errors_5xx']} antwoorden met een 5xx-status")
    if result["transport_errors"]:
        reasons.append(f"{result['transport_errors']} verzoeken zonder antwoord")
    if result["errors_4xx"]:
        reasons.append(f"{result['errors_4xx']} onverwachte 4xx-antwoorden")
    if result["other_failures"]:
        reasons.append(f"{result['other_failures']} antwoorden met een onverwachte status")
    if result["user_errors"]:
        reasons.append(f"{result['user_errors']} fouten in de gesimuleerde gebruikers (Locust)")
    for key, label in (
        ("missing", "ontbreken"),
        ("duplicated", "staan dubbel"),
        ("wrong", "wijken af"),
    ):
        if result[key]:
            reasons.append(f"{len(result[key])} bevestigde registraties {label}: {result[key][:5]}")
    for kind in ("intake", "hours", "match"):
        if result["acknowledged"].get(kind, 0) < min_per_kind:
            reasons.append(f"te weinig bevestigde registraties van soort {kind}")
    return reasons
