"""Staff hour registration: a social worker or coordinator books time on a product and,
optionally, a case. Every write records its change in the outbox (`record_change`), so
reporting rolls the hours up after commit."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from cases.choices import CaseStatus, HourKind
from cases.hour_rules import closed_period_problem, hour_registration_errors
from cases.models import Case, HourRegistration
from cases.selectors import cases_visible_to
from catalogue.models import Product
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm


def hours_on_day(*, worker, date: datetime.date, exclude_pk: int | None = None) -> Decimal:
    registrations = HourRegistration.objects.filter(worker=worker, date=date)
    if exclude_pk is not None:
        registrations = registrations.exclude(pk=exclude_pk)
    return registrations.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _lock_worker(worker) -> None:
    """Serialises writes per worker so two requests cannot both pass the 24-hour rule."""
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk=worker.pk)
        .values_list("pk", flat=True)
    )


def _validate(
    *,
    worker,
    date: datetime.date,
    hours,
    product: Product,
    kind: str,
    case: Case | None,
    note: str,
    current: HourRegistration | None = None,
) -> tuple[Decimal, Case | None]:
    """Every rule at once, so the form shows all problems together: the hour rules of
    `cases.hour_rules`, then what may be linked. Returns the hours as a
    Decimal and the case freshly read (with its client) for copying kern and pc4.

    The rules about what may be linked (active product; a visible, not cancelled case)
    apply when the link is made: a registration keeps its product and case when only the
    hours or the note are corrected after the case was cancelled or the worker moved team.
    """
    value, errors = hour_registration_errors(
        hours=hours,
        date=date,
        note=note,
        hours_on_day=lambda day: hours_on_day(
            worker=worker, date=day, exclude_pk=current.pk if current is not None else None
        ),
        previous_date=current.date if current is not None else None,
    )

    if kind not in HourKind.values:
        _add(errors, "kind", _("Kies een soort uren uit de lijst."))

    if product is None:
        _add(errors, "product", _("Kies een product."))
    elif not product.is_active and (current is None or current.product_id != product.pk):
        _add(errors, "product", _("Dit product wordt niet meer aangeboden."))

    fresh_case = None
    if case is not None:
        fresh_case = Case.objects.select_related("client", "product").get(pk=case.pk)
        newly_linked = current is None or current.case_id != fresh_case.pk
        if newly_linked and not cases_visible_to(worker).filter(pk=fresh_case.pk).exists():
            _add(errors, "case", _("Dit traject is niet gevonden bij uw trajecten."))
        elif newly_linked and fresh_case.status == CaseStatus.CANCELLED:
            _add(
                errors, "case", _("Dit traject is geannuleerd; registreer de uren zonder traject.")
            )
        elif product is not None and fresh_case.product_id != product.pk:
            _add(
                errors,
                "case",
                _("Dit traject hoort bij %(case_product)s, niet bij %(product)s.")
                % {"case_product": fresh_case.product.name, "product": product.name},
            )

    if errors:
        raise ValidationError(errors)
    return value, fresh_case


def _area_of(case: Case | None) -> dict:
    if case is None:
        return {"kern_id": None, "pc4": ""}
    return {"kern_id": case.client.kern_id, "pc4": case.client.pc4}


@transaction.atomic
def register_hours(
    *,
    worker,
    date: datetime.date,
    hours: Decimal,
    product: Product,
    kind: str,
    case: Case | None = None,
    note: str = "",
    created_by,
) -> HourRegistration:
    """Books `hours` for `worker` on `date`. Kern and pc4 come from the case's client.
    `created_by` needs cases.register_hours."""
    require_perm(created_by, "cases.register_hours")
    _lock_worker(worker)
    note = (note or "").strip()
    value, case = _validate(
        worker=worker, date=date, hours=hours, product=product, kind=kind, case=case, note=note
    )
    registration = HourRegistration.objects.create(
        worker=worker,
        date=date,
        hours=value,
        product=product,
        case=case,
        kind=kind,
        note=note,
        created_by=created_by,
        **_area_of(case),
    )
    record_change(source=HourRegistration, dates=[date])
    return registration


def _ensure_own(registration: HourRegistration, user) -> None:
    require_perm(
        user,
        "cases.change_hours",
        registration,
        message=_("Alleen de medewerker zelf kan deze uren wijzigen."),
    )


@transaction.atomic
def update_hours(
    *,
    registration: HourRegistration,
    changed_by,
    date: datetime.date,
    hours: Decimal,
    product: Product,
    kind: str,
    case: Case | None = None,
    note: str = "",
) -> HourRegistration:
    """Corrects a registration. Neither the old nor the new date may lie in a closed
    period; the day's total counts the other registrations of that day."""
    _ensure_own(registration, changed_by)
    _lock_worker(changed_by)
    current = HourRegistration.objects.select_for_update().get(pk=registration.pk)
    note = (note or "").strip()
    value, case = _validate(
        worker=current.worker,
        date=date,
        hours=hours,
        product=product,
        kind=kind,
        case=case,
        note=note,
        current=current,
    )
    old_date = current.date
    current.date = date
    current.hours = value
    current.product = product
    current.case = case
    current.kind = kind
    current.note = note
    area = _area_of(case)
    current.kern_id, current.pc4 = area["kern_id"], area["pc4"]
    current.save()
    record_change(source=HourRegistration, dates=[old_date, date])
    return current


@transaction.atomic
def delete_hours(*, registration: HourRegistration, deleted_by) -> None:
    """Removes a registration, unless its period has been closed for reporting."""
    _ensure_own(registration, deleted_by)
    _lock_worker(deleted_by)
    current = HourRegistration.objects.select_for_update().get(pk=registration.pk)
    if problem := closed_period_problem(current.date):
        raise ValidationError(problem)
    date = current.date
    current.delete()
    record_change(source=HourRegistration, dates=[date])
