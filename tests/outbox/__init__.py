"""Reading the outbox in tests: which changes a write recorded."""

import contextlib
import datetime

from django.db.models import Max

from meerwaarde.outbox.models import Change


def month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@contextlib.contextmanager
def changes_recorded():
    """Collects the (source, month) rows recorded inside the block, in the order written."""
    before = Change.objects.aggregate(last=Max("id"))["last"] or 0
    rows: list[tuple[str, datetime.date]] = []
    yield rows
    rows.extend(Change.objects.filter(id__gt=before).order_by("id").values_list("source", "month"))
