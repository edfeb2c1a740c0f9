"""Shared field settings and the postcode rule of the cases models."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL
HOURS = {"max_digits": 6, "decimal_places": 2}

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", _("Vul een Nederlandse postcode in, bijvoorbeeld 2132 AB.")
)


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()
