"""Which period reporting has closed (the rule and its message: `cases.hour_rules`)."""

import datetime

from cases.models import ClosedPeriod


def closed_period_containing(day: datetime.date) -> ClosedPeriod | None:
    return ClosedPeriod.objects.filter(start_date__lte=day, end_date__gte=day).first()
