"""The catalogue as JSON for other systems — the format is an interface: keep it stable.

Nested entries (a heading with sub-steps) are flattened to strings: the heading, then each
sub-step as its own string starting with "- "."""

from decimal import Decimal

from .entries import entries_to_lines
from .models import Product
from .selectors import products_for_export


def _number(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def product_as_export_dict(product: Product) -> dict:
    min_age, max_age = product.age_bounds
    return {
        "slug": product.slug,
        "name": product.name,
        "cluster": product.cluster,
        "goal": product.goal,
        "target_group": product.target_group,
        "effects_micro": entries_to_lines(product.effects_micro),
        "effects_macro": entries_to_lines(product.effects_macro),
        "criteria": entries_to_lines(product.criteria),
        "method": entries_to_lines(product.method),
        "min_age": min_age,
        "max_age": max_age,
        "hour_budget": {
            "hours": _number(product.norm_hours),
            "unit": product.norm_unit,
            "participants": _number(product.participants_per_unit),
            "text": product.hour_budget_text,
        },
    }


def catalogue_export() -> list[dict]:
    return [product_as_export_dict(product) for product in products_for_export()]
