"""Hours of volunteers, booked by a coordinator: the hour rules of `cases.hour_rules` (the
24 hours a day count the volunteer's own hours), and the same change record in the outbox
(`record_change`), so reporting rolls them up after commit.

Hours are booked on a product and, optionally, on one of the volunteer's matches or on a
group activity of that product (not both). Only a coordinator of the product may change
or remove them afterwards."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.hour_rules import closed_period_problem, hour_registration_errors
from cases.models import GroupActivity
from cases.rules import coordinated_product_ids
from catalogue.models import Area, Product
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm

from ..models import Match, Volunteer, VolunteerHours


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def volunteer_hours_on_day(
    *, volunteer: Volunteer, date: datetime.date, exclude_pk: int | None = None
) -> Decimal:
    registrations = VolunteerHours.objects.filter(volunteer=volunteer, date=date)
    if exclude_pk is not None:
        registrations = registrations.exclude(pk=exclude_pk)
    return registrations.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def recent_hours(volunteer: Volunteer, *, weeks: int = 8) -> list[VolunteerHours]:
    since = timezone.localdate() - datetime.timedelta(weeks=weeks)
    return list(
        VolunteerHours.objects.filter(volunteer=volunteer, date__gte=since).select_related(
            "product", "match__case", "activity"
        )
    )


def activity_choices(volunteer: Volunteer, *, current: VolunteerHours | None = None):
    """Active group activities of the volunteer's products (plus the one already booked on,
    so correcting old hours keeps its link)."""
    activities = GroupActivity.objects.filter(
        product__in=volunteer.products.values("pk"), is_active=True
    )
    if current is not None and current.activity_id is not None:
        activities = activities | GroupActivity.objects.filter(pk=current.activity_id)
    return activities.select_related("product").order_by("product__name", "name")


def _validate(
    *,
    volunteer: Volunteer,
    date: datetime.date,
    hours,
    product: Product,
    match: Match | None,
    activity: GroupActivity | None,
    note: str,
    current: VolunteerHours | None = None,
) -> tuple[Decimal, Area | None]:
    """Every rule at once, so the form shows all problems together. Returns the hours as a
    Decimal and the kern the hours count for (the client's, or the activity's).

    What may be linked (a product the volunteer works for, an active activity) is checked
    when the link is made: correcting only the hours of an older registration still works
    after the volunteer stopped for that product or the activity ended."""
    value, errors = hour_registration_errors(
        hours=hours,
        date=date,
        note=note,
        hours_on_day=lambda day: volunteer_hours_on_day(
            volunteer=volunteer, date=day, exclude_pk=current.pk if current else None
        ),
        previous_date=current.date if current is not None else None,
    )

    newly_linked_product = product is not None and (
        current is None or current.product_id != product.pk
    )
    if product is None:
        _add(errors, "product", _("Kies een product."))
    elif newly_linked_product and not volunteer.products.filter(pk=product.pk).exists():
        _add(
            errors,
            "product",
            _("%(name)s werkt niet voor %(product)s.")
            % {"name": volunteer.full_name, "product": product.name},
        )

    kern = None
    if match is not None and activity is not None:
        _add(
            errors,
            "activity",
            _("Kies een koppeling óf een groepsactiviteit, niet allebei."),
        )
    elif match is not None:
        match = Match.objects.select_related("case__client").get(pk=match.pk)
        if match.volunteer_id != volunteer.pk:
            _add(errors, "match", _("Deze koppeling hoort niet bij deze vrijwilliger."))
        elif product is not None and match.case.product_id != product.pk:
            _add(errors, "match", _("Deze koppeling hoort bij een ander product."))
        else:
            kern = match.case.client.kern
    elif activity is not None:
        activity = GroupActivity.objects.get(pk=activity.pk)
        newly_linked = current is None or current.activity_id != activity.pk
        if product is not None and activity.product_id != product.pk:
            _add(errors, "activity", _("Deze activiteit hoort bij een ander product."))
        elif newly_linked and not activity.is_active:
            _add(errors, "activity", _("Deze activiteit is niet meer actief."))
        elif date is not None and (
            date < activity.start_date or (activity.end_date and date > activity.end_date)
        ):
            _add(
                errors,
                "activity",
                _("De activiteit %(activity)s liep op %(date)s niet.")
                % {"activity": activity.name, "date": date.strftime("%d-%m-%Y")},
            )
        else:
            kern = activity.kern

    if errors:
        raise ValidationError(errors)
    return value, kern


NOT_YOUR_PRODUCT = gettext_lazy("U kunt alleen uren boeken op producten die u coördineert.")


def _lock_volunteer(volunteer: Volunteer) -> Volunteer:
    """One writer per volunteer at a time, so two requests cannot both pass the 24-hour
    rule."""
    return Volunteer.objects.select_for_update().get(pk=volunteer.pk)


def _ensure_may_change(user, registration: VolunteerHours) -> None:
    require_perm(
        user,
        "volunteers.change_volunteer_hours",
        registration,
        message=_("Alleen een coördinator van het product kan deze uren wijzigen of verwijderen."),
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
    volunteer's matches or on a group activity of that product. Only a coordinator of the
    product books on it."""
    require_perm(registered_by, "volunteers.register_volunteer_hours")
    volunteer = _lock_volunteer(volunteer)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if product is not None and product.pk not in coordinated_product_ids(registered_by):
        _add(errors, "product", NOT_YOUR_PRODUCT)
    try:
        value, kern = _validate(
            volunteer=volunteer,
            date=date,
            hours=hours,
            product=product,
            match=match,
            activity=activity,
            note=note,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
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
    record_change(source=VolunteerHours, dates=[date])
    return registration


@transaction.atomic
def update_volunteer_hours(
    *,
    registration: VolunteerHours,
    changed_by,
    date: datetime.date,
    hours: Decimal,
    product: Product,
    match: Match | None = None,
    activity: GroupActivity | None = None,
    note: str = "",
) -> VolunteerHours:
    """Corrects a registration. The changer coordinates both the old and the new product;
    neither the old nor the new date may lie in a closed period; the day's total counts
    the volunteer's other hours of that day."""
    _ensure_may_change(changed_by, registration)
    volunteer = _lock_volunteer(registration.volunteer)
    current = VolunteerHours.objects.select_for_update().get(pk=registration.pk)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if product is not None and product.pk not in coordinated_product_ids(changed_by):
        _add(errors, "product", NOT_YOUR_PRODUCT)
    try:
        value, kern = _validate(
            volunteer=volunteer,
            date=date,
            hours=hours,
            product=product,
            match=match,
            activity=activity,
            note=note,
            current=current,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    old_date = current.date
    current.date = date
    current.hours = value
    current.product = product
    current.match = match
    current.activity = activity
    current.kern = kern
    current.note = note
    current.save()
    record_change(source=VolunteerHours, dates=[old_date, date])
    return current


@transaction.atomic
def delete_volunteer_hours(*, registration: VolunteerHours, deleted_by) -> None:
    """Removes a registration, unless its period has been closed for reporting."""
    _ensure_may_change(deleted_by, registration)
    _lock_volunteer(registration.volunteer)
    current = VolunteerHours.objects.select_for_update().get(pk=registration.pk)
    if problem := closed_period_problem(current.date):
        raise ValidationError(problem)
    date = current.date
    current.delete()
    record_change(source=VolunteerHours, dates=[date])
