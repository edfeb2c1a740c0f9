"""Hours as people type and read them: the one parser and the one formatter, for every app
(the `hours` template filter of `catalogue` included). The rules about how many hours may
be registered are `cases.hour_rules`.

Pure apart from translation, so every app may import it."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import numberformat
from django.utils.translation import gettext_lazy

HOURS_MISSING = gettext_lazy("Vul het aantal uren in.")
HOURS_INVALID = gettext_lazy("Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25.")

# Up to six digits before and any number after the decimal comma or point; a sign, so "-1"
# is told it must be more than 0 rather than that it is not a number. A dot is never a
# thousands separator here: nobody books 1500 hours on a day.
_HOURS_TEXT = re.compile(r"^[+-]?\d{1,6}(?:[.,]\d+)?$")
CENT = Decimal("0.01")


def parse_hours(value) -> Decimal:
    """Text as typed ("1,5", "1.5", " 2 "), or a Decimal or int, as a Decimal. Raises a
    ValidationError with HOURS_MISSING (code "required") or HOURS_INVALID (code "invalid").
    Whether the amount may be registered is `cases.hour_rules`' question."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(HOURS_INVALID, code="invalid")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(HOURS_MISSING, code="required")
    if not isinstance(value, str):
        # Hours are never floats (nor anything else): the caller passes text or a Decimal.
        raise ValidationError(HOURS_INVALID, code="invalid")
    text = value.strip().replace(" ", "")
    if not _HOURS_TEXT.match(text):
        raise ValidationError(HOURS_INVALID, code="invalid")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(HOURS_INVALID, code="invalid") from None


def format_hours(value) -> str:
    """Dutch notation, rounded to two decimals, without needless zeros: 1.234,5 — 7,25 — 8."""
    number = Decimal(value).quantize(CENT)
    text = numberformat.format(
        number, ",", decimal_pos=2, grouping=3, thousand_sep=".", force_grouping=True
    )
    return text.rstrip("0").rstrip(",") if "," in text else text
