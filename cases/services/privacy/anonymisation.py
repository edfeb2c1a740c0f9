"""Verwijdering (AVG art. 17): anonymising a client, over every app's part of the client's
file (`ANONYMISATION_PLAN`, from `meerwaarde.audit.avg_registry`). What goes and what
stays is described in the package docstring (`cases.services.privacy`)."""

import datetime
import logging

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import OPEN_STATUSES
from cases.models import Case, Client, HourRegistration
from meerwaarde.permissions import require_perm

from .plan import (
    ANONYMISATION_PLAN,
    ANONYMISED_LAST_NAME,
    CASES_ANONYMISATION_PLAN,
    CLIENT_FIELDS_CLEARED,
    REDACTED,
    _planned_model,
)

logger = logging.getLogger("cases.services.privacy")


def _open_case_refusal(client: Client) -> ValidationError | None:
    open_products = list(
        Case.objects.filter(client=client, status__in=OPEN_STATUSES)
        .order_by("product__name")
        .values_list("product__name", flat=True)
    )
    if not open_products:
        return None
    return ValidationError(
        _(
            "Deze cliënt heeft nog een open traject (%(products)s). Sluit of annuleer eerst "
            "alle trajecten; daarna kan de cliënt worden geanonimiseerd."
        )
        % {"products": ", ".join(open_products)}
    )


def anonymisation_refusal(*, client: Client) -> ValidationError | None:
    """Why this client cannot be anonymised now, or None."""
    if client.anonymised_at is not None:
        return ValidationError(_("Deze cliënt is al geanonimiseerd."))
    return _open_case_refusal(client)


@transaction.atomic
def anonymise_client(*, client: Client, anonymised_by, reason: str = "verzoek") -> Client:
    """AVG 'verwijdering': removes the client's identity and keeps the facts (see the
    module docstring for what goes and what stays, and what happens to the change
    history). Refused while any case is open. `anonymised_by` is None for the retention
    job (the system acts there, under the retention rule); a person needs
    cases.anonymise_client."""
    if anonymised_by is not None:
        require_perm(anonymised_by, "cases.anonymise_client", client)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    refusal = anonymisation_refusal(client=locked)
    if refusal is not None:
        raise refusal
    old_household = locked.household
    birth_year = locked.birth_date.year
    locked.first_name = ""
    locked.last_name_prefix = ""
    locked.last_name = ANONYMISED_LAST_NAME
    locked.birth_date = datetime.date(birth_year, 1, 1)
    for name in (
        "street",
        "house_number_addition",
        "postcode",
        "city",
        "phone",
        "email",
        "language_needs",
        "external_reference",
    ):
        setattr(locked, name, "")
    locked.house_number = None
    locked.wijk = None
    locked.household = None
    locked.anonymised_at = timezone.now()
    locked.anonymised_by = anonymised_by
    locked.version += 1
    locked.save()  # pc4 and search_name follow from postcode and name

    if old_household is not None and not old_household.members.exists():
        household_pk = old_household.pk
        old_household.delete()
        _scrub_log_entries(old_household.__class__, [household_pk], {"name"})

    for entry in ANONYMISATION_PLAN:
        model = _planned_model(entry)
        if model is None:
            continue
        rows = model.objects.filter(**{entry.client_path: locked})
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            continue
        if entry.unlink:
            rows.update(**{entry.client_path: None})
            _scrub_log_entries(model, pks, {entry.client_path})
            continue
        if entry.cleared:
            rows.update(**dict.fromkeys(entry.cleared, ""))
        _scrub_log_entries(model, pks, entry.cleared)
    _scrub_log_entries(Client, [locked.pk], CLIENT_FIELDS_CLEARED)
    _scrub_deleted_hours_entries(locked)
    _mark_anonymisation_entry(locked, reason=reason)
    logger.info(
        "Client %s anonymised (%s) by user %s",
        locked.pk,
        reason,
        anonymised_by.pk if anonymised_by else "-",
    )
    return locked


def _redact(value):
    if isinstance(value, list):
        return [REDACTED for _item in value]
    return REDACTED


def _scrub_log_entries(model: type[models.Model], pks: list, fields) -> int:
    """Overwrites the old and new values of `fields` in the change history of these rows,
    refreshes the stored representation (which may hold a name) and drops snapshots."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    current = {str(obj.pk): obj for obj in model.objects.filter(pk__in=pks)}
    entries = list(
        LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks])
    )
    return _rewrite_entries(entries, fields, current)


def _rewrite_entries(entries: list[LogEntry], fields, current: dict) -> int:
    for entry in entries:
        changes = dict(entry.changes or {}) if isinstance(entry.changes, dict) else {}
        for name in fields:
            if name in changes:
                changes[name] = _redact(changes[name])
        entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        instance = current.get(entry.object_pk)
        entry.object_repr = str(instance) if instance is not None else REDACTED
    LogEntry.objects.bulk_update(
        entries, ["changes", "changes_text", "serialized_data", "object_repr"], batch_size=500
    )
    return len(entries)


def _scrub_deleted_hours_entries(client: Client) -> None:
    """Hours deleted earlier (the week view allows it) are gone from the table but their
    history still holds the note and reference; found by the case they were booked on."""
    case_ids = [str(pk) for pk in Case.objects.filter(client=client).values_list("pk", flat=True)]
    if not case_ids:
        return
    content_type = ContentType.objects.get_for_model(HourRegistration)
    # Every entry (create, update, delete) that names one of the cases, old or new value.
    entries = list(
        LogEntry.objects.filter(content_type=content_type).filter(
            Q(changes__case__0__in=case_ids) | Q(changes__case__1__in=case_ids)
        )
    )
    current = {
        str(hours.pk): hours for hours in HourRegistration.objects.filter(case__client=client)
    }
    hours_plan = next(e for e in CASES_ANONYMISATION_PLAN if e.label == "cases.HourRegistration")
    _rewrite_entries(entries, hours_plan.cleared, current)


def _mark_anonymisation_entry(client: Client, *, reason: str) -> None:
    """The change-history entry of the anonymising save says what it was."""
    entry = (
        LogEntry.objects.get_for_object(client)
        .filter(action=LogEntry.Action.UPDATE)
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is not None:
        entry.additional_data = {"anonimisering": reason}
        entry.save(update_fields=["additional_data"])
