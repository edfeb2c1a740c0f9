"""The registered computations behind the indicator definitions.

Every computation is set-based: the database groups and counts; Python only combines the
already-aggregated rows (at most products × kernen per month) into the four breakdowns
(all × all, per product, per kern, per product × kern).

Two kinds:
- *additive* computations (hours, numbers of events, sums for averages and percentages) are
  grouped per month × product × kern in the database, one GROUP BY per table (a Scan) for
  every source reading it. A month's values come straight from the registrations; a quarter,
  half-year or year is the sum of its months' finest-grain values (product × kern) — the
  months computed in the same run, or else the stored ones, so an incremental roll-up never
  rescans a whole year.
- *distinct* computations (persons reached, active volunteers, active matches) are not
  additive over months (one person in January and February is one person in the quarter): the
  database turns each row into the months of the year it covers, combines them per person
  and breakdown, and counts per period the persons active in one of its months — all periods
  of a run in one statement (PostgreSQL; COUNT(DISTINCT) per period and breakdown elsewhere).

Which sources (models) an indicator reads is declared once, here: a Scan or a
DistinctComputation reads the model of its queryset, plus `also_reads` for a joined table
whose changes move its figures (the client whose kern a row is counted under); a derived
indicator adds DERIVED_ALSO_READS. READS and WATCHED_SOURCES are derived from that. A new
indicator source is declared here; the write services that change it record their changes
with `meerwaarde.outbox.services.record_change`, and tests/reporting/test_change_records.py
fails until one does.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth

from cases.choices import CaseStatus, GoalReached
from cases.models import AnonymousContact, Case, GroupSession, HourRegistration, Referral
from catalogue.models import HourBudget, LocationKind
from volunteers.models import Match, VolunteerHours

# Re-exported: callers read the value objects and the distinct computation from here.
from .distinct import MONTH_MASK_SQL, DistinctComputation  # noqa: F401
from .figures import ALL, UNKNOWN, Figures, Key, _area_key, expand  # noqa: F401

# --- additive sources --------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """One table, dated by `date_field`, grouped per month × product × kern in one GROUP BY;
    every source reading the same scan gets its amount from that one statement."""

    queryset: Callable[[], QuerySet]
    date_field: str
    product: str
    area: Callable[[], object]  # an expression giving the kern id (NULL → onbekend)
    # Other models (labels) whose changes move its rows between groups: the client whose
    # kern the rows are counted under.
    also_reads: frozenset[str] = frozenset()

    @property
    def source(self) -> str:
        """The model whose rows it reads: the source write services record changes of."""
        return self.queryset().model._meta.label

    def monthly(self, start: datetime.date, end: datetime.date, amounts: list):
        """(month start, product_id, area_id, *amounts) rows between start and end."""
        names = [f"rollup_amount_{index}" for index in range(len(amounts))]
        return (
            self.queryset()
            .filter(**{f"{self.date_field}__range": (start, end)})
            .annotate(
                rollup_month=TruncMonth(self.date_field),
                rollup_product=F(self.product),
                rollup_area=self.area(),
            )
            .values("rollup_month", "rollup_product", "rollup_area")
            .annotate(**dict(zip(names, amounts, strict=True)))
            .values_list("rollup_month", "rollup_product", "rollup_area", *names)
            .order_by()
        )


@dataclass(frozen=True)
class AdditiveSource:
    """An amount per month × product × kern from the rows of a scan; with `only`, from the
    rows matching it (then the amount is a count, and a count of 0 means no rows)."""

    scan: Scan
    amount: Callable[..., object]  # an aggregate class or factory taking `filter=`
    only: Q | None = None
    role: str = "numerator"  # or "denominator"
    # Other models (labels) whose changes move the amount: a joined table it filters on.
    also_reads: frozenset[str] = frozenset()

    @property
    def reads(self) -> frozenset[str]:
        return frozenset({self.scan.source}) | self.scan.also_reads | self.also_reads

    def aggregate(self):
        return self.amount(filter=self.only) if self.only is not None else self.amount()


def _kern_of_location():
    # A location lies in a kern or in a wijk of a kern: report the kern.
    return Coalesce(F("location__area__parent_id"), F("location__area_id"))


def _kern_of_activity():
    return Coalesce(F("activity__kern__parent_id"), F("activity__kern_id"))


def _count_ids(**kwargs):
    return Count("id", **kwargs)


def _sum_of(field):
    return lambda **kwargs: Sum(field, **kwargs)


def _waited_days(**kwargs):
    waited = ExpressionWrapper(
        F("proposed_on") - Coalesce(F("case__waiting_since"), F("case__registered_on")),
        output_field=DurationField(),
    )
    return Sum(waited, **kwargs)


STAFF_HOURS_SCAN = Scan(HourRegistration.objects.all, "date", "product_id", lambda: F("kern_id"))
VOLUNTEER_HOURS_SCAN = Scan(VolunteerHours.objects.all, "date", "product_id", lambda: F("kern_id"))
# Counted under the client's kern: a client moving to another kern moves these rows.
CLIENT = frozenset({"cases.Client"})
INTAKES_SCAN = Scan(
    Case.objects.all, "registered_on", "product_id", lambda: F("client__kern_id"), CLIENT
)
CLOSED_CASES_SCAN = Scan(
    lambda: Case.objects.filter(status=CaseStatus.CLOSED),
    "closed_on",
    "product_id",
    lambda: F("client__kern_id"),
    CLIENT,
)
REFERRALS_SCAN = Scan(
    Referral.objects.all, "date", "case__product_id", lambda: F("case__client__kern_id"), CLIENT
)
CONTACTS_SCAN = Scan(AnonymousContact.objects.all, "date", "product_id", _kern_of_location)
# Counted under the activity's product and kern: editing the activity in /beheer/ moves them.
SESSIONS_SCAN = Scan(
    GroupSession.objects.all,
    "date",
    "activity__product_id",
    _kern_of_activity,
    frozenset({"cases.GroupActivity"}),
)
MATCHES_SCAN = Scan(
    Match.objects.all,
    "proposed_on",
    "case__product_id",
    lambda: F("case__client__kern_id"),
    CLIENT,
)

STAFF_HOURS = AdditiveSource(STAFF_HOURS_SCAN, _sum_of("hours"))
VOLUNTEER_HOURS = AdditiveSource(VOLUNTEER_HOURS_SCAN, _sum_of("hours"))
NEW_INTAKES = AdditiveSource(INTAKES_SCAN, _count_ids)
CLOSED_CASES = AdditiveSource(CLOSED_CASES_SCAN, _count_ids)
OUTCOMES = frozenset({"cases.CaseOutcome"})
GOAL_REACHED = AdditiveSource(
    CLOSED_CASES_SCAN,
    _count_ids,
    only=Q(outcome__goal_reached=GoalReached.YES),
    also_reads=OUTCOMES,
)
CLOSED_WITH_OUTCOME = AdditiveSource(
    CLOSED_CASES_SCAN,
    _count_ids,
    only=Q(outcome__isnull=False),
    role="denominator",
    also_reads=OUTCOMES,
)
REFERRALS = AdditiveSource(REFERRALS_SCAN, _count_ids)
WALK_IN_REFERRALS = AdditiveSource(CONTACTS_SCAN, _count_ids, only=Q(referred_on=True))
PLUSPUNT_CONTACTS = AdditiveSource(
    CONTACTS_SCAN, _count_ids, only=Q(location__kind=LocationKind.PLUSPUNT)
)
ACTIVITY_PARTICIPANTS = AdditiveSource(SESSIONS_SCAN, _sum_of("participants"))
# The wait runs from the case's waiting_since (or registration) to the proposal.
MATCH_WAIT_DAYS = AdditiveSource(MATCHES_SCAN, _waited_days, also_reads=frozenset({"cases.Case"}))
MATCHES_PROPOSED = AdditiveSource(MATCHES_SCAN, _count_ids, role="denominator")


def _as_number(amount) -> Decimal:
    if isinstance(amount, datetime.timedelta):
        return Decimal(amount.days) + Decimal(amount.seconds) / Decimal(86400)
    return Decimal(amount or 0)


@dataclass(frozen=True)
class AdditiveComputation:
    sources: tuple[AdditiveSource, ...]
    ratio: str | None = None  # None (value = numerator), "percent" or "mean_weeks" (days ÷ 7)

    @property
    def has_denominator(self) -> bool:
        return self.ratio is not None

    @property
    def reads(self) -> frozenset[str]:
        return frozenset().union(*(source.reads for source in self.sources))

    def month_finest(self, months: list, start, end, cache: dict | None = None) -> dict:
        """{month period: {(product_id, area): Figures}} straight from the registrations.
        `cache` shares one GROUP BY per scan between the indicators of a run: the statement
        computes the amounts of every source reading that scan at once."""
        by_month: dict = {month: defaultdict(self._empty) for month in months}
        month_of = {(m.year, m.first_month): m for m in months}
        cache = {} if cache is None else cache
        for source in self.sources:
            if source.scan not in cache:
                readers = SOURCES_OF_SCAN[source.scan]
                rows = source.scan.monthly(start, end, [r.aggregate() for r in readers])
                cache[source.scan] = (readers, list(rows))
            readers, rows = cache[source.scan]
            column = readers.index(source)
            for month_start, product_id, area_id, *amounts in rows:
                amount = amounts[column]
                if source.only is not None and not amount:
                    continue  # no rows of this source in the group
                if isinstance(month_start, datetime.datetime):
                    month_start = month_start.date()
                period = month_of.get((month_start.year, month_start.month))
                if period is None:
                    continue
                figures = by_month[period][(product_id, _area_key(area_id))]
                number = _as_number(amount)
                if source.role == "denominator":
                    figures.add(0, number)
                else:
                    figures.add(number)
        return by_month

    def _empty(self) -> Figures:
        return Figures(denominator=Decimal(0) if self.has_denominator else None)


# --- budget realisation --------------------------------------------------------------------


def budget_realisation(period, realised: dict[Key, Figures]) -> dict[Key, Figures]:
    """Realised hours (all kernen) ÷ budgeted hours × 100 for products with a numeric budget;
    the budget of a shorter period is the year's budget × its share of the year."""
    budgets = dict(
        HourBudget.objects.filter(year=period.year, budgeted_hours__gt=0).values_list(
            "product_id", "budgeted_hours"
        )
    )
    result: dict[Key, Figures] = {}
    total = Figures(denominator=Decimal(0))
    for product_id, budget in budgets.items():
        share = (budget * period.fraction_of_year).quantize(Decimal("0.01"))
        hours = realised.get((product_id, None), Figures()).numerator
        result[(product_id, None)] = Figures(hours, share)
        total.add(hours, share)
    if budgets:
        result[ALL] = total
    return result


ADDITIVE: dict[str, AdditiveComputation] = {
    "uren_medewerkers": AdditiveComputation(sources=(STAFF_HOURS,)),
    "uren_vrijwilligers": AdditiveComputation(sources=(VOLUNTEER_HOURS,)),
    "uren_gerealiseerd": AdditiveComputation(sources=(STAFF_HOURS, VOLUNTEER_HOURS)),
    "intakes_nieuw": AdditiveComputation(sources=(NEW_INTAKES,)),
    "trajecten_afgesloten": AdditiveComputation(sources=(CLOSED_CASES,)),
    "doel_behaald_pct": AdditiveComputation(
        sources=(GOAL_REACHED, CLOSED_WITH_OUTCOME), ratio="percent"
    ),
    "doorverwijzingen": AdditiveComputation(sources=(REFERRALS, WALK_IN_REFERRALS)),
    "pluspunt_contacten": AdditiveComputation(sources=(PLUSPUNT_CONTACTS,)),
    "deelnemers_activiteiten": AdditiveComputation(sources=(ACTIVITY_PARTICIPANTS,)),
    "wachttijd_match_weken": AdditiveComputation(
        sources=(MATCH_WAIT_DAYS, MATCHES_PROPOSED),
        ratio="mean_weeks",
    ),
}

# Every source per scan, in a fixed order: one statement computes all their amounts.
SOURCES_OF_SCAN: dict[Scan, list[AdditiveSource]] = defaultdict(list)
for _computation in ADDITIVE.values():
    for _source in _computation.sources:
        if _source not in SOURCES_OF_SCAN[_source.scan]:
            SOURCES_OF_SCAN[_source.scan].append(_source)


def _cases(**filters):
    return lambda: Case.objects.exclude(status=CaseStatus.CANCELLED).filter(**filters)


def _case_persons(**filters) -> DistinctComputation:
    """Clients with a case open during the period (registered, not closed before it)."""
    return DistinctComputation(
        rows=_cases(**filters),
        active_from="registered_on",
        active_until="closed_on",
        counted="client_id",
        product="product_id",
        area=lambda: F("client__kern_id"),
        also_reads=CLIENT,
    )


DISTINCT: dict[str, DistinctComputation] = {
    "clienten_bereikt": _case_persons(),
    "mantelzorgers_ondersteund": _case_persons(is_caregiver=True),
    "mantelzorgers_overbelast": _case_persons(is_caregiver=True, caregiver_overburdened=True),
    # Volunteers with registered hours in the period.
    "vrijwilligers_actief": DistinctComputation(
        rows=VolunteerHours.objects.all,
        active_from="date",
        active_until=None,
        counted="volunteer_id",
        product="product_id",
        area=lambda: F("volunteer__kern_id"),
        also_reads=frozenset({"volunteers.Volunteer"}),
    ),
    # Matches that were active (started, not ended before the period) during it.
    "matches_actief": DistinctComputation(
        rows=lambda: Match.objects.filter(started_on__isnull=False),
        active_from="started_on",
        active_until="ended_on",
        counted="id",
        product="case__product_id",
        area=lambda: F("case__client__kern_id"),
        also_reads=CLIENT,
    ),
}

# Derived from another indicator's figures of the same period.
DERIVED = {"uren_realisatie_pct": ("uren_gerealiseerd", budget_realisation)}
# What a derived computation reads besides its base indicator's sources.
DERIVED_ALSO_READS = {"uren_realisatie_pct": frozenset({"catalogue.HourBudget"})}

COMPUTATIONS = sorted([*ADDITIVE, *DISTINCT, *DERIVED])


def _reads() -> dict[str, frozenset[str]]:
    reads = {code: c.reads for code, c in ADDITIVE.items()}
    reads.update({code: c.reads for code, c in DISTINCT.items()})
    for code, (base, _derive) in DERIVED.items():
        reads[code] = reads[base] | DERIVED_ALSO_READS.get(code, frozenset())
    return reads


# Which sources (model labels) each computation reads, derived from the declarations above:
# the table the roll-up uses to recompute only the indicators whose sources changed. The
# write services record changes of exactly these sources (`meerwaarde.outbox`); a client or
# volunteer moving to another kern records the sources counted under their kern.
READS: dict[str, frozenset[str]] = _reads()
WATCHED_SOURCES: frozenset[str] = frozenset().union(*READS.values())


def computations_reading(models: set[str]) -> set[str]:
    """The computations to redo when these models changed; a derived one brings its base."""
    codes = {code for code, reads in READS.items() if reads & models}
    for code, (base, _derive) in DERIVED.items():
        if code in codes:
            codes.add(base)
    return codes


def value_of(figures: Figures, ratio: str | None) -> Decimal | None:
    if ratio is None:
        return figures.numerator.quantize(Decimal("0.01"))
    if not figures.denominator:
        return None
    if ratio == "percent":
        return (figures.numerator * 100 / figures.denominator).quantize(Decimal("0.01"))
    # mean_weeks: the numerator is the total wait in days
    return (figures.numerator / figures.denominator / 7).quantize(Decimal("0.01"))


def ratio_of(code: str) -> str | None:
    if code in ADDITIVE:
        return ADDITIVE[code].ratio
    if code in DERIVED:
        return "percent"
    return None
