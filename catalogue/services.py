"""Writes to the catalogue: loading the reference data files, idempotently, and the hour
budgets as the functioneel beheerder edits them."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from meerwaarde.outbox.services import record_change

from .entries import validate_entries
from .models import Area, AreaKind, HourBudget, HourUnit, Product
from .numbers import parse_dutch_decimal

DATA_DIR = Path(__file__).resolve().parent / "data"
PRODUCTS_FILE = DATA_DIR / "products.yaml"
AREAS_FILE = DATA_DIR / "areas.yaml"


class CatalogueDataError(Exception):
    """The data file is wrong; the message names the product and field (Dutch)."""


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    budgets_created: list[str] = field(default_factory=list)


def _optional_decimal(value: Any, where: str):
    if value is None:
        return None
    try:
        return parse_dutch_decimal(value)
    except ValueError as error:
        raise CatalogueDataError(f"{where}: geen geldig getal ({value!r})") from error


def _product_fields(record: dict, position: int) -> dict:
    where = f"product {position} ({record.get('name', '?')})"
    try:
        budget = record["hour_budget"]
        eligibility = record["eligibility"]
        for key in ("effects_micro", "effects_macro", "criteria", "method"):
            validate_entries(record[key])
        return {
            "name": record["name"],
            "cluster": record["cluster"],
            "position": position,
            "goal": record["goal"],
            "target_group": record["target_group"],
            "effects_micro": record["effects_micro"],
            "effects_macro": record["effects_macro"],
            "criteria": record["criteria"],
            "method": record["method"],
            "keywords": record.get("keywords", []),
            "works_with_volunteers": bool(record["works_with_volunteers"]),
            "volunteer_matching": record["volunteer_matching"],
            "hour_budget_text": budget["text"],
            "norm_hours": _optional_decimal(budget["hours"], f"{where}, ureninzet"),
            "norm_unit": budget["unit"],
            "participants_per_unit": budget["participants"],
            "coordination_hours": _optional_decimal(
                budget["coordination_hours"], f"{where}, coördinatie-uren"
            ),
            "min_age": eligibility["min_age"],
            "max_age": eligibility["max_age"],
            "turns_age_this_year": eligibility["turns_age_this_year"],
            "requires_living_in_haarlemmermeer": bool(eligibility["lives_in_haarlemmermeer"]),
            "child_under_age": eligibility["child_under_age"],
            "judgement_criteria": eligibility["judgement_criteria"],
        }
    except KeyError as error:
        raise CatalogueDataError(f"{where}: veld {error} ontbreekt") from error
    except (ValueError, TypeError) as error:
        raise CatalogueDataError(f"{where}: {error}") from error


def read_products_file(path: Path = PRODUCTS_FILE) -> list[dict]:
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueDataError(f"{path} kan niet worden gelezen: {error}") from error
    if not isinstance(records, list):
        raise CatalogueDataError(f"{path}: verwacht een lijst met producten")
    return records


@transaction.atomic
def load_catalogue(
    *, path: Path = PRODUCTS_FILE, overwrite_admin_edits: bool = False, year: int | None = None
) -> LoadResult:
    """Creates or updates every product of the data file (matched on slug) and, for
    products with a yearly norm, the current year's budget when it does not exist yet.
    All or nothing: one invalid product loads nothing."""
    result = LoadResult()
    year = year or datetime.date.today().year
    records = read_products_file(path)
    seen_slugs: set[str] = set()
    for position, record in enumerate(records, start=1):
        slug = record.get("slug")
        if not slug or slug in seen_slugs:
            raise CatalogueDataError(f"product {position}: ontbrekende of dubbele slug {slug!r}")
        seen_slugs.add(slug)
        values = _product_fields(record, position)
        product = Product.objects.filter(slug=slug).first()
        if product is not None and product.edited_in_admin and not overwrite_admin_edits:
            result.skipped.append(slug)
            continue
        is_new = product is None
        product = product or Product(slug=slug)
        changed = is_new or any(getattr(product, key) != value for key, value in values.items())
        for key, value in values.items():
            setattr(product, key, value)
        product.edited_in_admin = False
        changed = changed or product.search_text != product.build_search_text()
        try:
            product.full_clean()
        except ValidationError as error:
            raise CatalogueDataError(f"product {position} ({slug}): {error.messages}") from error
        if changed:
            product.save()
            (result.created if is_new else result.updated).append(slug)
        else:
            result.unchanged.append(slug)
        if product.norm_unit == HourUnit.PER_JAAR and product.norm_hours is not None:
            _, created = HourBudget.objects.get_or_create(product=product, year=year)
            if created:
                record_budget_change(years={year})
                result.budgets_created.append(slug)
    return result


@transaction.atomic
def load_areas(*, path: Path = AREAS_FILE) -> LoadResult:
    """Creates the kernen and wijken of the data file; existing ones keep their edits
    (postcodes are only filled in where the area has none yet)."""
    result = LoadResult()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueDataError(f"{path} kan niet worden gelezen: {error}") from error
    for record in data["kernen"]:
        kern, created = Area.objects.get_or_create(
            kind=AreaKind.KERN,
            name=record["name"],
            parent=None,
            defaults={"postcodes": record.get("postcodes", [])},
        )
        if created:
            kern.full_clean()
            result.created.append(kern.name)
        elif not kern.postcodes and record.get("postcodes"):
            kern.postcodes = record["postcodes"]
            kern.full_clean()
            kern.save(update_fields=["postcodes"])
            result.updated.append(kern.name)
        else:
            result.unchanged.append(kern.name)
        for wijk_name in record.get("wijken", []):
            _, created = Area.objects.get_or_create(kind=AreaKind.WIJK, name=wijk_name, parent=kern)
            (result.created if created else result.unchanged).append(f"{kern.name} – {wijk_name}")
    return result


# --- hour budgets ----------------------------------------------------------------------------


def record_budget_change(*, years) -> None:
    """A budget is for a year: the realisation of every month of the year moves."""
    months = [datetime.date(year, month, 1) for year in sorted(years) for month in range(1, 13)]
    record_change(source=HourBudget, dates=months)


@transaction.atomic
def save_hour_budget(*, budget: HourBudget) -> HourBudget:
    """Saves a budget (added or changed in /beheer/); the realisation follows."""
    old_year = None
    if budget.pk is not None:
        old_year = HourBudget.objects.filter(pk=budget.pk).values_list("year", flat=True).first()
    budget.save()
    record_budget_change(years={budget.year, old_year or budget.year})
    return budget


@transaction.atomic
def delete_hour_budget(*, budget: HourBudget) -> None:
    year = budget.year
    budget.delete()
    record_budget_change(years={year})
