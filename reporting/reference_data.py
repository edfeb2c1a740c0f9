"""Loads the indicator definitions from reporting/data/indicators.yaml (idempotent)."""

import datetime
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from .computations import COMPUTATIONS
from .models import Breakdown, Indicator, Unit

INDICATORS_FILE = Path(__file__).resolve().parent / "data" / "indicators.yaml"
REQUIRED = ("code", "name", "description", "theme", "monitor_indicator", "unit", "numerator")


def _date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def read_definitions(path: Path = INDICATORS_FILE) -> list[dict]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    definitions = []
    problems = []
    for position, item in enumerate(document["indicators"], start=1):
        missing = [key for key in REQUIRED if not item.get(key)]
        if missing:
            problems.append(f"{item.get('code', position)}: ontbreekt {', '.join(missing)}")
            continue
        computation = item.get("computation", item["code"])
        if computation not in COMPUTATIONS:
            problems.append(f"{item['code']}: onbekende berekening {computation}")
        if item["unit"] not in Unit.values:
            problems.append(f"{item['code']}: onbekende eenheid {item['unit']}")
        breakdowns = item.get("breakdowns", [])
        if any(b not in Breakdown.values for b in breakdowns):
            problems.append(f"{item['code']}: onbekende uitsplitsing in {breakdowns}")
        definitions.append(
            {
                "code": item["code"],
                "name": item["name"],
                "description": item["description"].strip(),
                "theme": item["theme"],
                "monitor_indicator": item["monitor_indicator"],
                "unit": item["unit"],
                "computation": computation,
                "numerator_label": item["numerator"],
                "denominator_label": item.get("denominator", ""),
                "breakdowns": breakdowns,
                "counts_persons": bool(item.get("counts_persons", False)),
                "indicator_set": item.get("set", document["set"]),
                "active_from": _date(item.get("active_from", document["active_from"])),
                "position": position,
            }
        )
    if problems:
        raise ValidationError(problems)
    return definitions


@transaction.atomic
def load_indicators(path: Path = INDICATORS_FILE) -> tuple[int, int]:
    """Creates missing indicators and updates the definitions of existing ones; a retirement
    (active_to) set by the functioneel beheerder is kept."""
    created = updated = 0
    for definition in read_definitions(path):
        code = definition.pop("code")
        _, was_created = Indicator.objects.update_or_create(code=code, defaults=definition)
        created += was_created
        updated += not was_created
    return created, updated
