"""Writes to the catalogue: budgets that follow the product's norm, and loading the
reference data files, idempotently.

A budget's `budgeted_hours` is computed here, never in `save()`: `save_hour_budget` for one
budget, `save_product` for a product whose norm may have changed (its budgets of open
years follow). The admin and the loader call these; each records the change in the outbox so the
realisation figures follow."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.outbox.services import record_change

from .entries import validate_entries
from .models import Area, AreaKind, HourBudget, HourUnit, Product
from .numbers import parse_dutch_decimal

DATA_DIR = Path(__file__).resolve().parent / "data"
PRODUCTS_FILE = DATA_DIR / "products.yaml"
AREAS_FILE = DATA_DIR / "areas.yaml"


# --- budgets ------------------------------------------------------------------------------


def first_open_budget_year(today: datetime.date | None = None) -> int:
    """Budgets of earlier years are closed: the year is over, its hours were accounted for
    to the municipality under the budget agreed then, so a later change of the norm does
    not rewrite them. (The catalogue sits below the closed periods of `cases`; a year can
    only be closed as a whole once it is over, so every closed year is a past year.)"""
    return (today or timezone.localdate()).year


@transaction.atomic
def save_hour_budget(*, budget: HourBudget) -> HourBudget:
    """Validates and saves one budget with its budgeted hours computed from its own
    figures and, where it has no hours per unit of its own, the product's norm. The
    realisation of its year (and of its old year, if the year changed) follows."""
    old_year = None
    if budget.pk is not None:
        old_year = HourBudget.objects.filter(pk=budget.pk).values_list("year", flat=True).first()
    budget.budgeted_hours = budget.compute_budgeted_hours()
    budget.full_clean()
    budget.save()
    record_budget_change(years={budget.year, old_year or budget.year})
    return budget


def budgets_following_the_norm(product: Product, *, today: datetime.date | None = None):
    """The budgets a change of the product's norm recomputes: those of open years."""
    return HourBudget.objects.filter(
        product=product, year__gte=first_open_budget_year(today)
    ).select_related("product")


def check_budgets_follow_norm(product: Product, *, today: datetime.date | None = None) -> None:
    """Raises the Dutch message when the product's (changed, unsaved) norm leaves a budget
    of an open year without hours: e.g. a norm made vraagafhankelijk while the budget has
    planned units but no agreed hours."""
    if product.pk is None:
        return
    without_hours = []
    for budget in budgets_following_the_norm(product, today=today):
        budget.product = product
        if budget.compute_budgeted_hours() is None:
            without_hours.append(str(budget.year))
    if without_hours:
        raise ValidationError(
            {
                "norm_hours": _(
                    "Met deze norm heeft de urenbegroting van %(years)s geen uren meer: "
                    "vul daar eerst afgesproken uren of uren per eenheid in."
                )
                % {"years": ", ".join(without_hours)}
            }
        )


@transaction.atomic
def recompute_budgets_for_product(
    product: Product, *, today: datetime.date | None = None
) -> list[HourBudget]:
    """Brings the budgets of open years in line with the product's current norm; budgets
    of closed years keep their hours. Returns the budgets whose hours changed."""
    changed = []
    for budget in budgets_following_the_norm(product, today=today).select_for_update(of=("self",)):
        budget.product = product
        hours = budget.compute_budgeted_hours()
        if hours != budget.budgeted_hours:
            save_hour_budget(budget=budget)
            changed.append(budget)
    return changed


@transaction.atomic
def save_product(*, product: Product, today: datetime.date | None = None) -> list[HourBudget]:
    """Saves a product; when its norm changed, its budgets of open years follow.
    Returns the budgets whose hours changed."""
    norm_fields = ("norm_hours", "norm_unit")
    before = (
        Product.objects.filter(pk=product.pk).values_list(*norm_fields).first()
        if product.pk
        else None
    )
    product.save()
    if before is None or before == tuple(getattr(product, name) for name in norm_fields):
        return []
    return recompute_budgets_for_product(product, today=today)


# --- reference data -------------------------------------------------------------------------


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
            try:
                check_budgets_follow_norm(product)
            except ValidationError as error:
                raise CatalogueDataError(
                    f"product {position} ({slug}): {error.messages}"
                ) from error
            save_product(product=product)
            (result.created if is_new else result.updated).append(slug)
        else:
            result.unchanged.append(slug)
        yearly = product.norm_unit == HourUnit.PER_JAAR and product.norm_hours is not None
        if yearly and not HourBudget.objects.filter(product=product, year=year).exists():
            save_hour_budget(budget=HourBudget(product=product, year=year))
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
def delete_hour_budget(*, budget: HourBudget) -> None:
    year = budget.year
    budget.delete()
    record_budget_change(years={year})
