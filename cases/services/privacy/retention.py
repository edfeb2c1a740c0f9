"""Retention: clients whose last case closed longer ago than their products' retention
period are anonymised by a nightly job. What keeps a client out of it (an open case,
or what another app registers) comes from `meerwaarde.audit.avg_registry`."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cases.models import Client
from meerwaarde.audit.avg_registry import retention_blockers

from .anonymisation import anonymise_client

logger = logging.getLogger("cases.services.privacy")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def clients_due_for_retention(*, today: datetime.date | None = None) -> QuerySet[Client]:
    """Clients not yet anonymised, with cases that are all finished, whose last case
    closed longer ago than the longest retention period of the products of their cases.
    Clients without any case are not covered. One query, set-based."""
    today = today or timezone.localdate()
    candidates = Client.objects.filter(anonymised_at__isnull=True, cases__isnull=False)
    # Each app's blockers (cases: an open case), from the AVG registry.
    for blocker in retention_blockers():
        candidates = candidates.exclude(blocker())
    candidates = candidates.annotate(
        retention_years=Max("cases__product__retention_years"),
        # Every finished case has closed_on; old imported rows fall back to their last change.
        last_closed_on=Max(Coalesce("cases__closed_on", TruncDate("cases__updated_at"))),
    )
    retention_values = candidates.values_list("retention_years", flat=True).distinct()
    condition = Q(pk__in=[])
    for years in retention_values:
        condition |= Q(retention_years=years, last_closed_on__lt=_years_before(today, years))
    return candidates.filter(condition).order_by("pk")


@dataclass
class RetentionResult:
    client_ids: list[int]
    dry_run: bool
    refused: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.client_ids)


def apply_retention(*, today: datetime.date | None = None, dry_run: bool = False):
    """Anonymises every client past the retention period. Idempotent: anonymised clients
    are skipped, so a repeated or missed run does no harm. Each client in its own
    transaction; logs client ids only (never names)."""
    due = list(clients_due_for_retention(today=today).values_list("pk", flat=True))
    result = RetentionResult(client_ids=[], dry_run=dry_run)
    if dry_run:
        result.client_ids = due
        logger.info("Retention dry run: %d client(s) due for anonymisation", len(due))
        return result
    for client in Client.objects.filter(pk__in=due).order_by("pk"):
        try:
            anonymise_client(client=client, anonymised_by=None, reason="bewaartermijn")
        except ValidationError:
            # A case was reopened between the selection and the lock: next run decides.
            result.refused.append(client.pk)
            continue
        result.client_ids.append(client.pk)
    logger.info(
        "Retention: %d client(s) anonymised%s",
        result.count,
        f", {len(result.refused)} skipped" if result.refused else "",
    )
    return result
