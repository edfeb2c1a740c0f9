"""Hours of volunteers, booked by a coordinator: the same rules as staff hours, and the
same `hours_changed` signal so reporting rolls them up after commit."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import GroupActivity
from cases.services.hours import (
    MAX_HOURS_PER_DAY,
    QUARTER,
    _add,
    _as_decimal,
    _collect,
    format_hours,
)
from cases.services.periods import ensure_period_open
from cases.signals import send_hours_changed
from catalogue.models import Product

from ..models import Match, Volunteer, VolunteerHours

NOTE_MAX_LENGTH = VolunteerHours._meta.get_field("note").max_length


def volunteer_hours_on_day(*, volunteer: Volunteer, date: datetime.date) -> Decimal:
    total = VolunteerHours.objects.filter(volunteer=volunteer, date=date).aggregate(
        total=Sum("hours")
    )["total"]
    return total or Decimal("0")


def recent_hours(volunteer: Volunteer, *, weeks: int = 8) -> list[VolunteerHours]:
    since = timezone.localdate() - datetime.timedelta(weeks=weeks)
    return list(
        VolunteerHours.objects.filter(volunteer=volunteer, date__gte=since).select_related(
            "product", "match__case", "activity"
        )
    )


@transaction.atomic
def register_volunteer_hours(
    *,
    volunteer: Volunteer,
    date: datetime.date,
    hours: Decimal,
    product: Product,
    match: Match | None = None,
    activity: GroupActivity | None = None,
    note: str = "",
    registered_by,
) -> VolunteerHours:
    """Books `hours` of `volunteer` on `date` for `product`, optionally on one of the
    volunteer's matches or on a group activity of that product."""
    # One writer per volunteer at a time, so two requests cannot both pass the 24-hour rule.
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()

    value = _as_decimal(hours)
    if value is None:
        _add(errors, "hours", _("Vul een aantal uren in, bijvoorbeeld 1,5."))
    elif value <= 0:
        _add(errors, "hours", _("Het aantal uren moet meer dan 0 zijn."))
    elif value % QUARTER:
        _add(errors, "hours", _("Registreer uren in kwartieren: 0,25 – 0,5 – 0,75 – 1 enzovoort."))

    if date is None:
        _add(errors, "date", _("Vul de datum in."))
    elif date > today:
        _add(errors, "date", _("Uren kunnen niet in de toekomst worden geregistreerd."))
    else:
        _collect(errors, ensure_period_open, date, field="date")

    if len(note) > NOTE_MAX_LENGTH:
        _add(
            errors,
            "note",
            _("Houd de toelichting kort: hooguit %(max)s tekens.") % {"max": NOTE_MAX_LENGTH},
        )

    if product is None:
        _add(errors, "product", _("Kies een product."))
    elif not volunteer.products.filter(pk=product.pk).exists():
        _add(
            errors,
            "product",
            _("%(name)s werkt niet voor %(product)s.")
            % {"name": volunteer.full_name, "product": product.name},
        )

    kern = None
    if match is not None:
        match = Match.objects.select_related("case__client").get(pk=match.pk)
        if match.volunteer_id != volunteer.pk:
            _add(errors, "match", _("Deze koppeling hoort niet bij deze vrijwilliger."))
        elif product is not None and match.case.product_id != product.pk:
            _add(errors, "match", _("Deze koppeling hoort bij een ander product."))
        else:
            kern = match.case.client.kern
    if activity is not None:
        if product is not None and activity.product_id != product.pk:
            _add(errors, "activity", _("Deze activiteit hoort bij een ander product."))
        elif kern is None:
            kern = activity.kern

    if value is not None and value > 0 and date is not None and "hours" not in errors:
        already = volunteer_hours_on_day(volunteer=volunteer, date=date)
        if already + value > MAX_HOURS_PER_DAY:
            if already:
                message = _(
                    "Op %(date)s staat al %(already)s uur; met %(hours)s uur erbij wordt het "
                    "meer dan 24 uur op één dag."
                ) % {
                    "date": date.strftime("%d-%m-%Y"),
                    "already": format_hours(already),
                    "hours": format_hours(value),
                }
            else:
                message = _("Op één dag kunt u hooguit 24 uur registreren.")
            _add(errors, "hours", message)

    if errors:
        raise ValidationError(errors)
    registration = VolunteerHours.objects.create(
        volunteer=volunteer,
        date=date,
        hours=value,
        product=product,
        match=match,
        activity=activity,
        kern=kern,
        note=note,
        registered_by=registered_by,
    )
    send_hours_changed(dates={date}, product_ids={product.pk})
    return registration
