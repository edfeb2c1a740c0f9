"""The outbox: how a write reaches reporting, in one visible call.

Every write service that changes rows an indicator counts calls, inside its own
transaction::

    record_change(source=HourRegistration, dates=[old_date, new_date])

(or `spans=[(start, end)]` for rows that count in every month they run, such as a case).
That writes one `Change` row per month in the same transaction — rolled back with it — and
schedules one kick of the consumer after commit, however many changes the transaction
recorded. Reporting registers the consumer (`set_consumer`, in its AppConfig) and turns the
rows into the periods to recompute; the periodic catch-up and the nightly full run pick up
whatever a lost kick left behind.

A new write path records its change here, with the model whose rows it changed as the
source. Which sources an indicator reads is declared once, next to its computation
(`reporting/computations.py`); tests/reporting/test_outbox.py checks that every source a
computation reads is recorded by a write service.

The outbox stores months, not areas or reporting periods: reporting recomputes every area
of a period, and the periods containing a month are reporting's business. This module sits
in the base layer and imports no domain app."""

import datetime
import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from meerwaarde.dates import FLOOR

from .models import Change

logger = logging.getLogger(__name__)

# A row running for longer is still marked for its first 240 months only (20 years).
MAX_MONTHS_PER_SPAN = 240

_consumer: Callable[[], object] | None = None


def set_consumer(consumer: Callable[[], object] | None) -> None:
    """Who is kicked after a transaction that recorded changes commits (reporting)."""
    global _consumer
    _consumer = consumer


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from start to end (inclusive); months before the date
    window's floor are left out (no reporting period covers them)."""
    months, current = [], max(start, FLOOR).replace(day=1)
    while current <= end and len(months) < MAX_MONTHS_PER_SPAN:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def changed_months(
    dates: Iterable[datetime.date | None] = (),
    spans: Iterable[tuple[datetime.date | None, datetime.date | None]] = (),
) -> list[datetime.date]:
    """The months these dates and spans (start, end or None = still running) fall in."""
    months: set[datetime.date] = set()
    for day in dates:
        if day is None:
            continue
        if day < FLOOR:
            logger.warning("Datum %s valt vóór de rapportageperiodes en wordt overgeslagen", day)
            continue
        months.add(day.replace(day=1))
    today = timezone.localdate()
    for start, end in spans:
        if start is not None:
            months.update(months_between(start, end or today))
    return sorted(months)


def source_label(source: type[models.Model] | str) -> str:
    return source if isinstance(source, str) else source._meta.label


def record_change(
    *,
    source: type[models.Model] | str,
    dates: Iterable[datetime.date | None] = (),
    spans: Iterable[tuple[datetime.date | None, datetime.date | None]] = (),
) -> list[datetime.date]:
    """Record, inside the caller's transaction, that rows of `source` counted in these dates'
    months (and every month of these spans) changed; returns the months recorded. One
    INSERT; nothing at all when no month is left."""
    months = changed_months(dates, spans)
    if not months:
        return months
    label = source_label(source)
    Change.objects.bulk_create([Change(source=label, month=month) for month in months])
    _schedule_kick()
    return months


class _PendingKick:
    """The kick of the current transaction: every record_change in it adds an on-commit
    callback pointing here, and only the first that runs sends. A rolled-back transaction
    drops its callbacks, so an unsent kick is simply reused by the next transaction."""

    __slots__ = ("sent",)

    def __init__(self) -> None:
        self.sent = False


def _kick() -> None:
    if _consumer is not None:
        _consumer()


def _kick_once(pending: _PendingKick) -> None:
    if pending.sent:
        return
    pending.sent = True
    _kick()


def _schedule_kick() -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _kick()  # autocommit: the rows are already committed
        return
    pending = getattr(connection, "outbox_pending_kick", None)
    if pending is None or pending.sent:
        pending = _PendingKick()
        connection.outbox_pending_kick = pending
    transaction.on_commit(partial(_kick_once, pending))
