"""The coordinator's overview, ranked suggestions and the match lifecycle."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.models import Case

from ..forms_matching import EvaluationForm, MatchStatusForm, ProposeForm
from ..forms_registry import WITHOUT_MATCH
from ..models import Match, MatchStatus
from ..selectors import (
    coordinator_overview,
    get_matching_case_or_404,
    get_visible_match_or_404,
    weeks_between,
)
from ..services import matching as matching_services
from ..services.registry import EXPIRY_WARNING_DAYS
from ..suggestions import suggest_volunteers

use_volunteer_pages = permission_required("volunteers.use_volunteer_pages", raise_exception=True)

STATUS_BUTTON_LABELS = {
    MatchStatus.INTRODUCTION: gettext_lazy("Kennismaking vastleggen"),
    MatchStatus.ACTIVE: gettext_lazy("Actief maken"),
    MatchStatus.COMPLETED: gettext_lazy("Afronden"),
    MatchStatus.BROKEN_OFF: gettext_lazy("Afbreken"),
}


def put_errors_on_form(form, error: ValidationError) -> None:
    """A service's Dutch messages on the fields they belong to; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


# Pages -------------------------------------------------------------------------------


@require_GET
@use_volunteer_pages
def overview(request):
    """The coordinator's overview: waiting lists with links to the suggestions, matches
    due for an evaluation, expiring screenings and active volunteers without a match."""
    today = datetime.date.today()
    overview = coordinator_overview(request.user, today=today)
    return render(
        request,
        "volunteers/matching/overview.html",
        {
            "overview": overview,
            "waiting_lists": overview.waiting_lists,
            "evaluations": overview.evaluations,
            "expiring": overview.expiring,
            "without_match": overview.without_match,
            "expiry_days": EXPIRY_WARNING_DAYS,
            "without_match_filter": WITHOUT_MATCH,
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
    case = get_matching_case_or_404(request.user, case_id)
    return _case_page(request, case)


@require_POST
def propose(request, case_id: int):
    case = get_matching_case_or_404(request.user, case_id)
    form = ProposeForm(request.POST, user=request.user)
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
        if getattr(error, "code", None) == "invalid_choice":
            # Outside the coordinator's scope: the answer names nobody.
            messages.error(request, " ".join(error.messages))
        else:
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
    match = get_visible_match_or_404(request.user, pk)
    return _match_page(request, match)


@require_POST
def match_status(request, pk: int):
    match = get_visible_match_or_404(request.user, pk)
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
    match = get_visible_match_or_404(request.user, pk)
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
