"""Roll-up of registrations into indicator values, closing periods, and consuming the outbox.

A roll-up of a set of periods:
- takes a per-year lock (PostgreSQL advisory lock held for the whole run), so two runs for the
  same year never interleave;
- recomputes each period in its own transaction, replacing that period's values as a whole
  (delete + insert of the period's rows): re-running changes nothing, and a run killed halfway
  leaves every period either as before or fully recomputed, so a re-run gives the clean table;
- never touches *definitief* periods: their values were frozen when a manager closed them.
"""

import contextlib
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services import periods as closed_periods
from meerwaarde.outbox.models import Change
from meerwaarde.permissions import require_perm

from . import computations
from .computations import (
    ALL,
    DERIVED,
    UNKNOWN,
    computations_reading,
    value_of,
)
from .models import (
    DirtyPeriod,
    Indicator,
    IndicatorValue,
    PeriodKind,
    ReportingPeriod,
    RollupRun,
    RollupStatus,
)
from .periods import Period, parse_period, periods_containing, periods_of_year, periods_within
from .rollup_values import (
    CENT,
    _distinct_figures,
    _figures_for,
    _is_suppressed,
    _month_figures,
    _write_values,
)

logger = logging.getLogger(__name__)

FIRST_REPORTING_DATE = datetime.date(2000, 1, 1)  # periods.parse_period reads 2000–2100
ADVISORY_LOCK_NAMESPACE = 7_310_001  # "reporting roll-up", first key of pg_advisory_lock(int, int)


@dataclass
class RollupSummary:
    periods: list[str] = field(default_factory=list)
    skipped_final: list[str] = field(default_factory=list)
    values_written: int = 0
    totals: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)


# --- periods -----------------------------------------------------------------------------


def ensure_periods(periods: list[Period]) -> dict[str, ReportingPeriod]:
    keys = [p.key for p in periods]
    existing = {rp.key: rp for rp in ReportingPeriod.objects.filter(key__in=keys)}
    missing = [
        ReportingPeriod(key=p.key, kind=p.kind, year=p.year, start_date=p.start, end_date=p.end)
        for p in periods
        if p.key not in existing
    ]
    if missing:
        ReportingPeriod.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {rp.key: rp for rp in ReportingPeriod.objects.filter(key__in=keys)}
    return existing


def as_periods(keys_or_periods) -> list[Period]:
    return [p if isinstance(p, Period) else parse_period(p) for p in keys_or_periods]


@contextlib.contextmanager
def year_lock(year: int):
    """Serialises roll-ups of one year across processes (PostgreSQL); SQLite runs in one
    process with serialised writes, so nothing is needed there."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, year])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, year])


# --- the roll-up ---------------------------------------------------------------------------


def rollup(periods, *, computations=None, run: RollupRun | None = None) -> RollupSummary:
    """Recompute the given periods (keys or Period values) from the registrations: every
    indicator, or only those whose computation is in `computations`."""
    summary = RollupSummary()
    by_year: dict[int, list[Period]] = defaultdict(list)
    for period in as_periods(periods):
        by_year[period.year].append(period)
    for year in sorted(by_year):
        with year_lock(year):
            _rollup_year(year, by_year[year], summary, run, computations)
    return summary


def rollup_year(year: int, *, run: RollupRun | None = None) -> RollupSummary:
    return rollup(periods_of_year(year), run=run)


def _rollup_year(
    year: int, requested: list[Period], summary: RollupSummary, run, computations=None
) -> None:
    rows = ensure_periods(periods_of_year(year))
    wanted = set(requested)
    # A quarter, half-year or year is summed from its months: months never computed go first.
    for period in requested:
        if period.kind != PeriodKind.MONTH:
            for month in period.month_periods():
                if rows[month.key].computed_at is None:
                    wanted.add(month)
    todo = []
    for period in sorted(wanted, key=Period.sort_key):
        if rows[period.key].is_final:
            summary.skipped_final.append(period.key)
        else:
            todo.append(period)
    if not todo:
        return
    # Derived indicators (budget realisation) read the figures of the ones they build on.
    indicators = sorted(Indicator.objects.all(), key=lambda i: i.computation in DERIVED)
    if computations is not None:
        indicators = [i for i in indicators if i.computation in computations]
    months = [p for p in todo if p.kind == PeriodKind.MONTH]
    precomputed = _month_figures(indicators, months)
    precomputed.update(_distinct_figures(indicators, todo))
    for period in todo:
        with transaction.atomic():
            written = _store_period(
                period,
                rows[period.key],
                indicators,
                precomputed,
                summary,
                partial=computations is not None,
            )
        summary.periods.append(period.key)
        summary.values_written += written
        if run is not None:
            RollupRun.objects.filter(pk=run.pk).update(
                periods_done=len(summary.periods), values_written=summary.values_written
            )


def _store_period(
    period: Period,
    row: ReportingPeriod,
    indicators,
    precomputed,
    summary,
    *,
    partial: bool = False,
) -> int:
    now = timezone.now()
    computed: dict[str, dict] = {}
    new_values = []
    for indicator in indicators:
        if not indicator.is_active_between(period.start, period.end):
            continue
        figures_by_key = _figures_for(indicator, period, precomputed, computed)
        computed[indicator.computation] = figures_by_key
        ratio = computations.ratio_of(indicator.computation)
        by_product, by_area = indicator.by_product, indicator.by_area
        for key, figures in figures_by_key.items():
            product_id, area = key
            if product_id is not None and not by_product:
                continue
            if area is not None and not by_area:
                continue
            value = value_of(figures, ratio)
            new_values.append(
                (
                    indicator.pk,
                    row.pk,
                    product_id,
                    area if isinstance(area, int) else None,
                    area == UNKNOWN,
                    value,
                    figures.numerator.quantize(CENT),
                    figures.denominator.quantize(CENT) if figures.denominator is not None else None,
                    _is_suppressed(indicator, key, figures, value),
                    now,
                )
            )
            if key == ALL:
                summary.totals[(indicator.code, period.key)] = value
        if ALL not in figures_by_key and ratio is None:
            summary.totals[(indicator.code, period.key)] = Decimal("0.00")
    stale = IndicatorValue.objects.filter(period=row)
    if partial:
        stale = stale.filter(indicator__in=[i.pk for i in indicators])
    stale.delete()
    _write_values(new_values)
    ReportingPeriod.objects.filter(pk=row.pk).update(computed_at=now)
    return len(new_values)


# --- closing a period ------------------------------------------------------------------------


def close_period(*, key: str, user, today: datetime.date | None = None) -> ReportingPeriod:
    """A manager closes a period: its values are recomputed one last time, then the period
    is closed through `cases.services.periods.close_period` (the one owner of closing);
    its values and those of every period inside it read *definitief* from then on, and
    hours in it can no longer be changed."""
    require_perm(user, "reporting.close_period")
    period = parse_period(key)
    today = today or timezone.localdate()
    if period.end >= today:
        raise ValidationError(
            {"period": _("Een periode kan pas worden gesloten als die voorbij is.")}
        )
    rows = ensure_periods(periods_of_year(period.year))
    if rows[period.key].is_final:
        raise ValidationError({"period": _("Deze periode is al gesloten.")})
    inside = periods_within(period)
    with year_lock(period.year):
        summary = RollupSummary()
        _rollup_year(period.year, inside, summary, None)
        closed_periods.close_period(actor=user, start=period.start, end=period.end)
    logger.info("Periode %s gesloten door gebruiker %s", period.key, user.pk)
    return ReportingPeriod.objects.get(key=period.key)


# --- consuming the outbox, and the tasks' entry points ---------------------------------------


def mark_dirty(dates, *, sources=("",)) -> list[str]:
    """Record that registrations of these models (labels like "cases.Case"; "" = anything)
    on these dates changed. Insert-only, so there are no hot rows to lock.

    Dates before 2000 have no reporting period (the date window refuses them; older rows
    may still carry one): they are skipped with a warning instead of marking a period the
    roll-up cannot read."""
    reportable = []
    for day in dates:
        if day is None:
            continue
        if day < FIRST_REPORTING_DATE:
            logger.warning("Datum %s valt vóór de rapportageperiodes en wordt overgeslagen", day)
            continue
        reportable.append(day)
    keys = sorted({p.key for d in reportable for p in periods_containing(d)})
    if keys:
        DirtyPeriod.objects.bulk_create(
            [DirtyPeriod(period_key=k, source=source) for k in keys for source in sources]
        )
    return keys


def _merge(summary: RollupSummary, part: RollupSummary) -> None:
    summary.periods += part.periods
    summary.skipped_final += part.skipped_final
    summary.values_written += part.values_written
    summary.totals.update(part.totals)


def _failure_text(error: Exception) -> str:
    """What the beheerder reads: a validation message in full, otherwise only the kind of
    error (the traceback goes to the log, never a value from a registration)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)[:500]
    return _("De herberekening van deze periode is mislukt (%(error)s).") % {
        "error": type(error).__name__
    }


def quarantine_marks(keys: dict[str, str], *, up_to: int) -> int:
    """Set the open marks of these period keys aside with their error text, so later runs
    skip them; returns how many marks were set aside."""
    now = timezone.now()
    count = 0
    for key, error in keys.items():
        count += DirtyPeriod.objects.filter(
            id__lte=up_to, period_key=key, quarantined_at__isnull=True
        ).update(quarantined_at=now, error=error)
        logger.error("Herberekening van periode %r in quarantaine: %s", key, error)
    return count


def _rollup_isolating_failures(keys, *, computations, run, failed: dict[str, str]):
    """Recompute the keys together; when that fails, one by one, so a single period that
    cannot be computed does not hold up the others. Failing keys land in `failed`."""
    summary = RollupSummary()
    try:
        _merge(summary, rollup(keys, computations=computations, run=run))
        return summary
    except Exception:
        if len(keys) == 1:
            raise
        logger.warning("Herberekening van %s perioden samen mislukt; nu per periode", len(keys))
    for key in keys:
        try:
            _merge(summary, rollup([key], computations=computations, run=run))
        except Exception as error:
            logger.exception("Herberekening van periode %s mislukt", key)
            failed[key] = _failure_text(error)
    return summary


def absorb_recorded_changes() -> int:
    """Turn the changes the write services recorded in the outbox (`meerwaarde.outbox`: a
    source and a month) into marks of the periods containing those months, and remove them
    — in one transaction, so a change is either still in the outbox or marked. Returns how
    many outbox rows were taken."""
    with transaction.atomic():
        last = Change.objects.aggregate(last=Max("id"))["last"]
        if last is None:
            return 0
        taken = Change.objects.filter(id__lte=last)
        months_by_source: dict[str, set[datetime.date]] = defaultdict(set)
        for source, month in taken.values_list("source", "month").distinct():
            months_by_source[source].add(month)
        for source, months in sorted(months_by_source.items()):
            mark_dirty(sorted(months), sources=(source,))
        return taken.delete()[0]


def process_dirty_periods(*, run: RollupRun | None = None) -> RollupSummary:
    """Recompute every period marked dirty — only the indicators that read what changed —
    then clear exactly the marks that were read.

    Every mark is handled on its own merits: a mark whose period key cannot be read, or
    whose recompute fails, is quarantined (kept with its error, skipped by later runs, shown
    to the functioneel beheerder); all the others are processed and deleted."""
    absorb_recorded_changes()
    open_marks = DirtyPeriod.objects.filter(quarantined_at__isnull=True)
    last = open_marks.aggregate(last=Max("id"))["last"]
    if last is None:
        return RollupSummary()
    failed: dict[str, str] = {}
    sources_by_key: dict[str, set[str]] = defaultdict(set)
    marks = open_marks.filter(id__lte=last).values_list("period_key", "source").distinct()
    for key, source in marks:
        try:
            parse_period(key)
        except ValidationError as error:
            failed[key] = _failure_text(error)
            continue
        sources_by_key[key].add(source)
    # Periods with the same changed models are recomputed together.
    keys_by_sources: dict[frozenset, list[str]] = defaultdict(list)
    for key, sources in sources_by_key.items():
        keys_by_sources[frozenset(sources)].append(key)
    summary = RollupSummary()
    for sources, keys in keys_by_sources.items():
        computations = None if "" in sources else computations_reading(set(sources))
        try:
            part = _rollup_isolating_failures(
                sorted(keys), computations=computations, run=run, failed=failed
            )
        except Exception as error:
            logger.exception("Herberekening van periode %s mislukt", keys[0])
            failed[keys[0]] = _failure_text(error)
            continue
        _merge(summary, part)
    if failed:
        quarantine_marks(failed, up_to=last)
    open_marks.filter(id__lte=last).delete()
    return summary


def open_period_years(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    years = {today.year, today.year - 1}
    years.update(
        ReportingPeriod.objects.filter(closed_at__isnull=True)
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(y for y in years if y <= today.year)


def recompute_open_periods(*, run: RollupRun | None = None) -> RollupSummary:
    """The nightly full run: every open period of the open years, from scratch."""
    years = open_period_years()
    periods = [p for year in years for p in periods_of_year(year)]
    summary = rollup(periods, run=run)
    release_recomputed_quarantine(years)
    return summary


def release_recomputed_quarantine(years: list[int]) -> int:
    """Quarantined marks of periods the full run has just recomputed from scratch are done
    with (a failure that passed, such as a lost connection); marks whose key cannot be
    read stay for the beheerder."""
    done = []
    for pk, key in DirtyPeriod.objects.filter(quarantined_at__isnull=False).values_list(
        "pk", "period_key"
    ):
        try:
            period = parse_period(key)
        except ValidationError:
            continue
        if period.year in years:
            done.append(pk)
    if not done:
        return 0
    return DirtyPeriod.objects.filter(pk__in=done).delete()[0]


def start_run(*, periods: list[str], user=None) -> RollupRun:
    return RollupRun.objects.create(periods=periods, requested_by=user)


def request_recompute(
    *, periods: list[str], queue: Callable[[int], object], user=None
) -> RollupRun:
    """A recompute someone asked for (Herberekenen): the run is recorded, then handed to a
    worker after commit through `queue` (the caller passes the task's `delay`:
    reporting/tasks.py sits above this module, which never imports it). A broker that cannot
    be reached fails the run (with a message) instead of the request; with no broker
    configured the task runs in-process. `user` (None for the scheduled runs) needs
    reporting.recompute."""
    if user is not None:
        require_perm(user, "reporting.recompute")

    def hand_to_worker() -> None:
        try:
            queue(run.pk)
        except Exception:  # kombu/redis raise several types
            logger.warning("Herberekening %s kon niet in de wachtrij", run.pk, exc_info=True)
            RollupRun.objects.filter(pk=run.pk, status=RollupStatus.QUEUED).update(
                status=RollupStatus.FAILED,
                finished_at=timezone.now(),
                message=_("De taakwachtrij is niet bereikbaar."),
            )

    with transaction.atomic():
        run = start_run(periods=periods, user=user)
        transaction.on_commit(hand_to_worker)
    run.refresh_from_db()
    return run


def execute_run(run_id: int) -> RollupRun:
    """What the task does for a requested recompute: run it and record the outcome."""
    run = RollupRun.objects.get(pk=run_id)
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupStatus.RUNNING, started_at=timezone.now()
    )
    try:
        summary = rollup(run.periods, run=run)
    except Exception as error:
        RollupRun.objects.filter(pk=run.pk).update(
            status=RollupStatus.FAILED,
            finished_at=timezone.now(),
            message=_("De herberekening is mislukt (%(error)s).") % {"error": type(error).__name__},
        )
        raise
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupStatus.DONE,
        finished_at=timezone.now(),
        periods_done=len(run.periods),
        values_written=summary.values_written,
    )
    run.refresh_from_db()
    return run
