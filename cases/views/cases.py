import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.choices import CaseStatus
from cases.forms import CloseCaseForm, ContactForm, ReferralForm, StatusChangeForm
from cases.models import Case
from cases.selectors import case_list as select_cases
from cases.selectors import case_timeline, get_visible_case_or_404
from cases.services import case_flow

from .intake import apply_validation_error, search_text

view_case_list = permission_required("cases.view_case_list", raise_exception=True)
PAGE_SIZE = 50


@require_GET
@view_case_list
def case_list(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "", *CaseStatus.values):
        status = "open"
    query = search_text(request.GET.get("q"), 100)
    mine = request.GET.get("mine") == "1"
    cases = select_cases(request.user, status=status, query=query, mine=mine)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "mine": mine,
            "statuses": CaseStatus.choices,
        },
    )


def _case_page(request, case: Case, *, status_code: int = 200, **forms):
    from cases.forms_hours import hour_form_for_case

    today = datetime.date.today()
    context = {
        "case": case,
        "timeline": case_timeline(case),
        "next_statuses": [
            (value, CaseStatus(value).label)
            for value in case_flow.allowed_next_statuses(case)
            if value != CaseStatus.CLOSED
        ],
        "can_close": CaseStatus.CLOSED in case_flow.allowed_next_statuses(case),
        "can_change": request.user.has_perm("cases.change_case", case),
        "contact_form": forms.get("contact_form") or ContactForm(initial={"date": today}),
        "referral_form": forms.get("referral_form") or ReferralForm(initial={"date": today}),
        "hour_form": forms.get("hour_form") or hour_form_for_case(request.user, case),
        "status_form": forms.get("status_form"),
    }
    return render(request, "cases/case_detail.html", context, status=status_code)


@require_GET
@view_case_list
def case_detail(request, pk: int):
    case = get_visible_case_or_404(request.user, pk)
    return _case_page(request, case)


@require_POST
@view_case_list
def change_status(request, pk: int):
    case = get_visible_case_or_404(request.user, pk, permission="cases.change_case")
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["to_status"] == CaseStatus.CLOSED:
            return redirect("cases:close_case", pk=case.pk)
        try:
            case_flow.change_case_status(
                case=case,
                to_status=form.cleaned_data["to_status"],
                changed_by=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Status gewijzigd naar %(status)s.")
                % {"status": CaseStatus(form.cleaned_data["to_status"]).label},
            )
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Kies een geldige status."))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
@view_case_list
def add_contact(request, pk: int):
    case = get_visible_case_or_404(request.user, pk, permission="cases.change_case")
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            case_flow.add_contact(case=case, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Het contact is toegevoegd."))
            return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, contact_form=form)


@require_POST
@view_case_list
def add_referral(request, pk: int):
    case = get_visible_case_or_404(request.user, pk, permission="cases.change_case")
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            case_flow.add_referral(case=case, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("De doorverwijzing is vastgelegd."))
            return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, referral_form=form)


@require_http_methods(["GET", "POST"])
@view_case_list
def close_case(request, pk: int):
    case = get_visible_case_or_404(request.user, pk, permission="cases.change_case")
    if case.status != CaseStatus.ACTIVE:
        messages.error(
            request, _("Alleen een actief traject kan met een resultaat worden afgesloten.")
        )
        return redirect("cases:case_detail", pk=case.pk)
    form = CloseCaseForm(
        request.POST if request.method == "POST" else None, initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_flow.close_case(
                case=case,
                closed_by=request.user,
                goal_reached=form.cleaned_data["goal_reached"],
                can_continue_independently=form.cleaned_data["can_continue_independently"],
                referred_to=form.cleaned_data["referred_to"],
                note=form.cleaned_data["note"],
                scores=form.scores(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Het traject is afgesloten."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/close_case.html", {"case": case, "form": form})
