from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def hours(value) -> str:
    """A Decimal as Dutch readers expect it: 5,4 — 1.600 — 0,2 (no trailing zeros)."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal("0.01"))
    plain = format(number, "f").rstrip("0").rstrip(".")
    return formats.number_format(Decimal(plain), use_l10n=True, force_grouping=True)
