"""The change history as a person reads it: Dutch field names, values as the screens show
them, local time, who made the change by name and role, and no internal keys.

django-auditlog stores what changed as text: `"True"`, `"None"`, a related row's id, a
date time in UTC without a zone, and for the reverse relations of a new row a dump such
as `"cases.Case.None"`. The functions here turn that back into what the screens say. Used
by the AVG inzage (print page and JSON export); works for any registered model.
"""

import datetime
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMPTY = "–"
# Bookkeeping every model may carry: nobody entered it, so nobody needs to read it.
INTERNAL_FIELD_NAMES = frozenset({"version", "search_name", "search_text"})
# The anonymisation overwrites old values with this marker (cases.services.privacy).
REDACTED = "[geanonimiseerd]"

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("aangemaakt"),
    LogEntry.Action.UPDATE: _("gewijzigd"),
    LogEntry.Action.DELETE: _("verwijderd"),
    LogEntry.Action.ACCESS: _("bekeken"),
}
SYSTEM_ACTOR = _("MeerWaarde (automatisch)")


def person_with_role(user) -> str:
    """'Name (role)' of a staff member, as the header of every page shows them."""
    if user is None:
        return str(SYSTEM_ACTOR)
    return f"{user.display_name} ({user.role_label})"


def shown_field(model: type[models.Model], name: str) -> models.Field | None:
    """The model field behind a change-history key, or None when a reader has no use for
    it: reverse relations and many-to-many (auditlog's "cases.Case.None"), the primary key,
    automatic timestamps (the entry has its own time), version counters, search copies,
    hashes."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not model_field.concrete or model_field.many_to_many or model_field.primary_key:
        return None
    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
        return None
    if name in INTERNAL_FIELD_NAMES or name.endswith("_hash"):
        return None
    return model_field


def readable_value(model_field: models.Field, value) -> str:
    """A Python value of `model_field` as the screens show it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if value == REDACTED:
        return REDACTED
    if model_field.choices:
        labels = {str(key): label for key, label in model_field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nee"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, models.Model):
        if hasattr(value, "role_label"):
            return person_with_role(value)
        return str(getattr(value, "display_name", None) or getattr(value, "name", None) or value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or EMPTY
    return str(value)


class _StoredValues:
    """Reads auditlog's stored texts back into Python values; related rows are looked up
    once per entry set."""

    def __init__(self):
        self._related: dict[tuple[type[models.Model], str], models.Model | None] = {}

    def to_python(self, model_field: models.Field, stored):
        if stored is None or stored in ("None", ""):
            return None
        if not isinstance(stored, str) or stored == REDACTED:
            return REDACTED if isinstance(stored, list) else stored
        if isinstance(model_field, models.BooleanField):
            return {"True": True, "False": False}.get(stored, stored)
        if isinstance(model_field, models.DateTimeField):
            return self._datetime(stored)
        if isinstance(model_field, models.DateField):
            try:
                return datetime.date.fromisoformat(stored[:10])
            except ValueError:
                return stored
        if model_field.is_relation:
            return self._related_row(model_field.related_model, stored)
        if isinstance(model_field, models.JSONField):
            try:
                return json.loads(stored)
            except ValueError:
                return stored
        return stored

    @staticmethod
    def _datetime(stored: str):
        try:
            moment = datetime.datetime.fromisoformat(stored)
        except ValueError:
            return stored
        # auditlog writes date times in UTC without a zone.
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)

    def _related_row(self, model: type[models.Model], pk: str):
        key = (model, pk)
        if key not in self._related:
            self._related[key] = model._default_manager.filter(pk=pk).first()
        row = self._related[key]
        return row if row is not None else _("(niet meer aanwezig)")


@dataclass(frozen=True)
class ReadableChange:
    field: str
    label: str
    old: str
    new: str


def readable_changes(
    model: type[models.Model], entry: LogEntry, stored: _StoredValues | None = None
) -> list[ReadableChange]:
    """The fields a person can recognise of one history entry, in the model's field
    order. A new row lists only the fields that got a value."""
    stored = stored or _StoredValues()
    changes = entry.changes_dict or {}
    result = []
    for model_field in model._meta.concrete_fields:
        if model_field.name not in changes or shown_field(model, model_field.name) is None:
            continue
        pair = changes[model_field.name]
        old_stored, new_stored = (
            (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        )
        old = readable_value(model_field, stored.to_python(model_field, old_stored))
        new = readable_value(model_field, stored.to_python(model_field, new_stored))
        if entry.action == LogEntry.Action.CREATE and new == EMPTY:
            continue
        result.append(
            ReadableChange(
                field=model_field.name,
                label=str(model_field.verbose_name),
                old=old,
                new=new,
            )
        )
    return result


def readable_history(entries) -> list[dict]:
    """History entries (with `actor` selected) as rows for a person: local time, the
    action in Dutch, who (name and role), and the readable changes. `by` is the name only,
    `changes` maps each shown field to its [old, new] as displayed."""
    stored = _StoredValues()
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = readable_changes(model, entry, stored) if model is not None else []
        rows.append(
            {
                "at": timezone.localtime(entry.timestamp),
                "by": entry.actor.display_name if entry.actor is not None else None,
                "role": entry.actor.role_label if entry.actor is not None else None,
                "who": person_with_role(entry.actor),
                "action": str(ACTION_LABELS.get(entry.action, entry.get_action_display())),
                "is_creation": entry.action == LogEntry.Action.CREATE,
                "changes": {change.field: [change.old, change.new] for change in changes},
                "fields": [
                    {"field": c.field, "label": c.label, "old": c.old, "new": c.new}
                    for c in changes
                ],
            }
        )
    return rows
