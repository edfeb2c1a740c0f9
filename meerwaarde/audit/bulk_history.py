"""Change history for writes that bypass model signals (`bulk_create`, `.update()`, COPY).

django-auditlog writes a history entry from `save()` and `delete()`; a bulk write sends no
signal, so the service that does one writes its history here, explicitly and in the same
transaction. The entries have the shape auditlog gives its own (changes as
{field: [old, new]}), so the history pages and the anonymisation treat them alike."""

from collections.abc import Iterable, Sequence

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def log_bulk_created(instances: Sequence[models.Model], *, actor=None) -> list[LogEntry]:
    """One "created" entry per row inserted with bulk_create (the rows need their pk)."""
    entries = []
    for instance in instances:
        changes = model_instance_diff(None, instance) or {}
        entries.append(_entry(instance, LogEntry.Action.CREATE, changes, actor))
    return LogEntry.objects.bulk_create(entries)


def log_bulk_updated(
    instances: Iterable[models.Model], *, changes: dict[str, tuple], actor=None
) -> list[LogEntry]:
    """One "changed" entry per row a queryset `.update()` changed: `instances` hold the old
    values, `changes` maps each changed field to its new value."""
    entries = []
    for instance in instances:
        diff = {}
        for name, new in changes.items():
            old = getattr(instance, instance._meta.get_field(name).attname)
            if _text(old) != _text(new):
                diff[name] = [_text(old), _text(new)]
        if diff:
            entries.append(_entry(instance, LogEntry.Action.UPDATE, diff, actor))
    return LogEntry.objects.bulk_create(entries)


def log_batch(instance: models.Model, *, changes: dict[str, object], actor=None) -> LogEntry:
    """One "created" entry for a batch of rows written at once (an hours import): on the
    object that stands for the batch, with the rows it wrote named in `changes`."""
    diff = {name: ["None", _text(value)] for name, value in changes.items()}
    return LogEntry.objects.bulk_create([_entry(instance, LogEntry.Action.CREATE, diff, actor)])[0]


def id_ranges(ids: Iterable[int]) -> str:
    """ "4–6, 9": the ids as runs of consecutive numbers (a batch's rows are mostly one run)."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _text(value) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    return "None" if value is None else str(value)


def _entry(instance: models.Model, action: int, changes: dict, actor) -> LogEntry:
    return LogEntry(
        content_type=ContentType.objects.get_for_model(instance.__class__),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:255],
        action=action,
        changes=changes,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        cid=get_cid(),
    )
