import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import ClosedPeriod


def closed_period_containing(day: datetime.date) -> ClosedPeriod | None:
    return ClosedPeriod.objects.filter(start_date__lte=day, end_date__gte=day).first()


def ensure_period_open(day: datetime.date, *, field: str = "date") -> None:
    """Registrations in a period that reporting has closed may not be added or changed."""
    period = closed_period_containing(day)
    if period is not None:
        raise ValidationError(
            {
                field: _(
                    "De periode %(period)s is afgesloten voor de rapportage; uren daarin "
                    "kunnen niet meer worden toegevoegd of gewijzigd."
                )
                % {"period": period}
            }
        )
