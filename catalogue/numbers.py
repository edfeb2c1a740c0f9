import re
from decimal import Decimal, InvalidOperation

_THOUSANDS_ONLY = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_dutch_decimal(text: str | int | float | Decimal) -> Decimal:
    """Reads a number as the catalogue writes it: "5,4" is 5.4 and "1.600" is 1600.

    A dot followed by groups of exactly three digits is a thousands separator; with a
    comma present, the comma is the decimal sign and dots group thousands."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        raise ValueError("hours must be written as text, not as a float")
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS_ONLY.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"not a number: {text!r}") from error
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return value
