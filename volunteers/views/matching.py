"""Waiting lists, ranked suggestions and the match lifecycle, for coordinators."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DateField, DurationField, F, Q, QuerySet, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.choices import CaseStatus
from cases.models import Case
from cases.rules import coordinated_product_ids
from cases.selectors import cases_visible_to
from catalogue.models import Product, VolunteerMatching

from ..forms_matching import EvaluationForm, MatchStatusForm, ProposeForm
from ..models import Match, MatchStatus
from ..services import matching as matching_services
from ..suggestions import suggest_volunteers

use_volunteer_pages = permission_required("volunteers.use_volunteer_pages", raise_exception=True)

INTERIM_EVALUATION_AFTER = datetime.timedelta(weeks=6)
FINAL_EVALUATION_AFTER = datetime.timedelta(weeks=52)
STATUS_BUTTON_LABELS = {
    MatchStatus.INTRODUCTION: gettext_lazy("Kennismaking vastleggen"),
    MatchStatus.ACTIVE: gettext_lazy("Actief maken"),
    MatchStatus.COMPLETED: gettext_lazy("Afronden"),
    MatchStatus.BROKEN_OFF: gettext_lazy("Afbreken"),
}


def weeks_between(start: datetime.date | None, end: datetime.date) -> str:
    """Weeks as a Dutch decimal, e.g. "8,4"."""
    if start is None:
        return ""
    weeks = (Decimal((end - start).days) / 7).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(weeks, decimal_pos=1)


def put_errors_on_form(form, error: ValidationError) -> None:
    """A service's Dutch messages on the fields they belong to; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


# Reads -------------------------------------------------------------------------------


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


def matches_to_evaluate(user, *, today: datetime.date) -> QuerySet[Match]:
    """Active matches without an interim evaluation six weeks after the start, or
    without a final evaluation a year after the start."""
    return (
        Match.objects.filter(case__product__in=matching_products(user), status=MatchStatus.ACTIVE)
        .filter(
            Q(
                interim_evaluation_on__isnull=True,
                started_on__lte=today - INTERIM_EVALUATION_AFTER,
            )
            | Q(final_evaluation_on__isnull=True, started_on__lte=today - FINAL_EVALUATION_AFTER)
        )
        .select_related("volunteer", "case__client", "case__product")
        .order_by("started_on", "pk")
    )


def get_case_or_404(request, case_id: int) -> Case:
    if not request.user.has_perm("volunteers.use_volunteer_pages"):
        raise Http404
    try:
        return matching_cases(request.user).select_related("team").get(pk=case_id)
    except Case.DoesNotExist as error:
        raise Http404 from error


def get_match_or_404(request, pk: int) -> Match:
    try:
        match = Match.objects.select_related(
            "volunteer", "case__client", "case__client__kern", "case__product"
        ).get(pk=pk)
    except Match.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("volunteers.manage_match", match):
        raise Http404
    return match


# Pages -------------------------------------------------------------------------------


@require_GET
@use_volunteer_pages
def overview(request):
    today = datetime.date.today()
    evaluations = list(matches_to_evaluate(request.user, today=today))
    for match in evaluations:
        match.evaluation_due = (
            _("tussenevaluatie") if match.interim_evaluation_on is None else _("eindevaluatie")
        )
    return render(
        request,
        "volunteers/matching/overview.html",
        {
            "waiting_lists": waiting_lists(request.user, today=today),
            "evaluations": evaluations,
        },
    )


def _case_page(request, case: Case, *, status_code: int = 200):
    today = datetime.date.today()
    case.weeks_waited = weeks_between(case.waiting_since, today)
    matches = case.matches.select_related("volunteer").order_by("proposed_on", "pk")
    suggestions = (
        suggest_volunteers(case=case, on=today)
        if case.status in matching_services.CASE_STATUSES_OPEN_FOR_MATCHING
        else []
    )
    return render(
        request,
        "volunteers/matching/case.html",
        {"case": case, "matches": matches, "suggestions": suggestions},
        status=status_code,
    )


@require_GET
def case_detail(request, case_id: int):
    return _case_page(request, get_case_or_404(request, case_id))


@require_POST
def propose(request, case_id: int):
    case = get_case_or_404(request, case_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["volunteer"]))
        return redirect("volunteers_matching:case", case_id=case.pk)
    volunteer = form.cleaned_data["volunteer"]
    try:
        match = matching_services.propose_match(
            case=case,
            volunteer=volunteer,
            role=matching_services.role_for_product(case.product),
            proposed_by=request.user,
            on=datetime.date.today(),
        )
    except ValidationError as error:
        messages.error(
            request,
            _("%(name)s kan niet worden voorgesteld: %(reasons)s")
            % {"name": volunteer.full_name, "reasons": " ".join(error.messages)},
        )
        return redirect("volunteers_matching:case", case_id=case.pk)
    messages.success(request, _("%(name)s is voorgesteld.") % {"name": match.volunteer.full_name})
    return redirect("volunteers_matching:match", pk=match.pk)


def _match_page(request, match: Match, *, status_form=None, evaluation_form=None, status=200):
    allowed = matching_services.allowed_next_statuses(match)
    return render(
        request,
        "volunteers/matching/match.html",
        {
            "match": match,
            "case": match.case,
            "status_buttons": [(value, STATUS_BUTTON_LABELS[value]) for value in allowed],
            "can_break_off": MatchStatus.BROKEN_OFF in allowed,
            "status_form": status_form or MatchStatusForm(),
            "evaluation_form": evaluation_form or EvaluationForm(),
            "can_evaluate": match.started_on is not None,
            "history": match.status_changes.select_related("changed_by"),
        },
        status=status,
    )


@require_GET
def match_detail(request, pk: int):
    return _match_page(request, get_match_or_404(request, pk))


@require_POST
def match_status(request, pk: int):
    match = get_match_or_404(request, pk)
    form = MatchStatusForm(request.POST)
    if form.is_valid():
        try:
            match = matching_services.change_match_status(
                match=match,
                to_status=form.cleaned_data["to_status"],
                changed_by=request.user,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(
                request,
                _("De koppeling is nu '%(status)s'.") % {"status": match.get_status_display()},
            )
            return redirect("volunteers_matching:match", pk=match.pk)
    return _match_page(request, match, status_form=form, status=400)


@require_POST
def match_evaluation(request, pk: int):
    match = get_match_or_404(request, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            matching_services.record_evaluation(
                match=match,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, _("De evaluatie is vastgelegd."))
            return redirect("volunteers_matching:match", pk=match.pk)
    return _match_page(request, match, evaluation_form=form, status=400)
