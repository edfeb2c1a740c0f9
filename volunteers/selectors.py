"""Reads for the coordinator's pages: waiting lists, matches due for an evaluation,
active volunteers without a match, and the overview that combines them with the expiring
screenings. Everything is scoped to the coordinator's own products and costs the same
number of queries however many rows it returns."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cases.choices import CaseStatus
from cases.models import Case
from cases.rules import coordinated_product_ids
from cases.selectors import (
    cases_visible_to,
    find_record_or_404,
    get_visible_case_or_404,
    open_record_or_404,
)
from catalogue.models import Product, VolunteerMatching
from meerwaarde.audit.models import AccessAction
from meerwaarde.audit.services import log_personal_data_access

from .models import Match, MatchStatus, Volunteer, VolunteerStatus
from .services.registry import Expiry, expiring_for, volunteers_visible_to, with_occupied

INTERIM_EVALUATION_AFTER = datetime.timedelta(weeks=6)
FINAL_EVALUATION_AFTER = datetime.timedelta(weeks=52)
# An evaluation shows up this long before it is due, so it can be planned.
EVALUATION_NOTICE = datetime.timedelta(days=14)
# A completed match still awaits its final evaluation for this long; older ones are history.
FINAL_EVALUATION_AFTER_ENDING = datetime.timedelta(weeks=13)


def weeks_between(start: datetime.date | None, end: datetime.date) -> str:
    """Weeks as a Dutch decimal, e.g. "8,4"."""
    if start is None:
        return ""
    weeks = (Decimal((end - start).days) / 7).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(weeks, decimal_pos=1)


def matching_products(user) -> QuerySet[Product]:
    """The products the coordinator coordinates that work with matched volunteers."""
    return (
        Product.objects.filter(pk__in=coordinated_product_ids(user))
        .exclude(volunteer_matching=VolunteerMatching.NONE)
        .order_by("name")
    )


def matching_cases(user) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(product__in=matching_products(user))
        .select_related("client", "client__kern", "product")
    )


def waiting_lists(user, *, today: datetime.date) -> list[dict]:
    """Per product the waiting cases, oldest first, and the average wait (in the query)."""
    waiting = Q(cases__status=CaseStatus.WAITING_LIST, cases__waiting_since__isnull=False)
    waited = Value(today, output_field=DateField()) - F("cases__waiting_since")
    products = list(
        matching_products(user).annotate(
            waiting_count=Count("cases", filter=Q(cases__status=CaseStatus.WAITING_LIST)),
            average_wait=Avg(waited, filter=waiting, output_field=DurationField()),
        )
    )
    cases_by_product: dict[int, list] = {product.pk: [] for product in products}
    cases = (
        matching_cases(user)
        .filter(status=CaseStatus.WAITING_LIST)
        .order_by(F("waiting_since").asc(nulls_last=True), "pk")
    )
    for case in cases:
        case.weeks_waited = weeks_between(case.waiting_since, today)
        cases_by_product[case.product_id].append(case)
    result = []
    for product in products:
        average = product.average_wait
        result.append(
            {
                "product": product,
                "cases": cases_by_product[product.pk],
                "average_weeks": weeks_between(today - average, today) if average else "",
            }
        )
    return result


def matches_to_evaluate(user, *, today: datetime.date) -> list[Match]:
    """Matches whose interim evaluation (six weeks after the start) or final evaluation (a
    year after the start, or when the match was completed) is due within two weeks or
    overdue, and not yet recorded; the most urgent first. Each carries `evaluation_due`
    (which one), `evaluation_due_on` and `evaluation_overdue`."""
    horizon = today + EVALUATION_NOTICE
    matches = (
        Match.objects.filter(case__product__in=matching_products(user), started_on__isnull=False)
        .filter(
            Q(
                status=MatchStatus.ACTIVE,
                interim_evaluation_on__isnull=True,
                started_on__lte=horizon - INTERIM_EVALUATION_AFTER,
            )
            | Q(
                status=MatchStatus.ACTIVE,
                final_evaluation_on__isnull=True,
                started_on__lte=horizon - FINAL_EVALUATION_AFTER,
            )
            | Q(
                status=MatchStatus.COMPLETED,
                final_evaluation_on__isnull=True,
                ended_on__gte=today - FINAL_EVALUATION_AFTER_ENDING,
            )
        )
        .select_related("volunteer", "case__client", "case__product")
    )
    result = []
    for match in matches:
        match.evaluation_due, match.evaluation_due_on = due_evaluation(match, today=today)
        match.evaluation_overdue = match.evaluation_due_on < today
        result.append(match)
    result.sort(key=lambda match: (match.evaluation_due_on, match.pk))
    return result


def due_evaluation(match: Match, *, today: datetime.date) -> tuple[str, datetime.date]:
    """Which evaluation the match waits for, and when it is due. The final evaluation goes
    first: once the match is completed or a year old, an interim one has had its time."""
    final_due = match.started_on + FINAL_EVALUATION_AFTER
    if match.status == MatchStatus.COMPLETED:
        final_due = match.ended_on or today
    final_wanted = match.final_evaluation_on is None and (
        match.status == MatchStatus.COMPLETED or final_due <= today + EVALUATION_NOTICE
    )
    if final_wanted or match.interim_evaluation_on is not None:
        return _("eindevaluatie"), final_due
    return _("tussenevaluatie"), match.started_on + INTERIM_EVALUATION_AFTER


def volunteers_without_match(user) -> QuerySet[Volunteer]:
    """Active volunteers of the coordinator's products without a proposed, introduction or
    active match; `own_products` holds which of the coordinator's products they work for
    and `last_match_ended_on` when their last match ended (None: never matched)."""
    own = coordinated_product_ids(user)
    works_for_own = Volunteer.products.through.objects.filter(
        volunteer_id=OuterRef("pk"), product_id__in=own
    )
    return (
        with_occupied(
            Volunteer.objects.filter(Exists(works_for_own), status=VolunteerStatus.ACTIVE)
        )
        .filter(occupied=0)
        .annotate(last_match_ended_on=Max("matches__ended_on"))
        .select_related("kern")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(pk__in=own).order_by("name"),
                to_attr="own_products",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class CoordinatorOverview:
    waiting_lists: list[dict]
    evaluations: list[Match]
    expiring: list[Expiry]
    without_match: list[Volunteer]

    @property
    def waiting_count(self) -> int:
        return sum(item["product"].waiting_count for item in self.waiting_lists)


def coordinator_overview(user, *, today: datetime.date) -> CoordinatorOverview:
    """Everything on the coordinator's overview page, in a fixed number of queries."""
    return CoordinatorOverview(
        waiting_lists=waiting_lists(user, today=today),
        evaluations=matches_to_evaluate(user, today=today),
        expiring=expiring_for(user, today=today),
        without_match=list(volunteers_without_match(user)),
    )


def coordinator_summary(user, *, today: datetime.date) -> dict[str, int]:
    """The counts the coordinator's start page shows next to the link to the overview."""
    return {
        "waiting": matching_cases(user).filter(status=CaseStatus.WAITING_LIST).count(),
        "evaluations": len(matches_to_evaluate(user, today=today)),
        "expiring": len(expiring_for(user, today=today)),
        "without_match": volunteers_without_match(user).count(),
    }


# Opening one person's record: see the comment above `cases.selectors.open_record_or_404`.


def get_visible_volunteer_or_404(
    user, pk: int, *, permission: str = "volunteers.view_volunteer"
) -> Volunteer:
    """A volunteer of the coordinator's products (or of no product yet), logged."""
    return open_record_or_404(
        volunteers_visible_to(user).select_related("kern"),
        pk,
        user=user,
        permission=permission,
        action=AccessAction.VIEWED,
    )


def get_matching_case_or_404(user, case_id: int) -> Case:
    """A case of one of the coordinator's matching products, logged."""
    if not user.has_perm("volunteers.use_volunteer_pages"):
        raise Http404
    return get_visible_case_or_404(user, case_id, within=matching_cases(user))


def get_visible_match_or_404(
    user, pk: int, *, permission: str = "volunteers.manage_match"
) -> Match:
    """A match the user may work with (`permission`), or 404. A match page shows two
    people, the volunteer and the client of the case, so it writes two rows: one for the
    case (the client's inzage lists it) and one for the volunteer."""
    match = find_record_or_404(
        Match.objects.select_related(
            "volunteer", "case__client", "case__client__kern", "case__product"
        ),
        pk,
        user=user,
        permission=permission,
    )
    log_personal_data_access(user=user, subject=match.case)
    log_personal_data_access(user=user, subject=match.volunteer)
    return match
