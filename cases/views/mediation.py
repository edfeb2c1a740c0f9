"""Buurtbemiddeling: the coordinator's list of open meldingen and nazorg to do, and the
page of one melding with its two parties and the steps of the method."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.choices import FINAL_STATUSES, MediationStep
from cases.forms_mediation import REFER_ON, MediationPartyForm, step_form_class
from cases.models import Case
from cases.selectors import get_visible_case_or_404
from cases.services import mediation

from .group_work import put_errors_on_form

view_overview_required = permission_required("cases.view_mediation_overview", raise_exception=True)
STEP_LABELS = dict(MediationStep.choices)


def _get_case_or_404(request, case_id: int) -> Case:
    """A melding the user may run, logged; 404 otherwise: other meldingen do not exist
    for them. The page shows both parties; the case's row covers them."""
    return get_visible_case_or_404(
        request.user,
        case_id,
        permission="cases.run_mediation",
        within=mediation.mediation_cases_visible_to(request.user),
    )


@require_GET
@view_overview_required
def overview(request):
    meldingen = list(mediation.open_meldingen(request.user))
    for case in meldingen:
        case.latest_step_label = STEP_LABELS.get(case.latest_step, "")
    return render(
        request,
        "cases/mediation/overview.html",
        {
            "meldingen": meldingen,
            "aftercare": list(mediation.aftercare_to_do(request.user)),
            "today": timezone.localdate(),
        },
    )


def _party_form(case: Case, number: int, party) -> MediationPartyForm:
    prefix = f"partij{number}"
    if party is not None:
        initial = {"name": party.name, "address": party.address, "phone": party.phone}
    elif number == 1:
        # Party 1 is usually the resident who made the melding.
        client = case.client
        initial = {
            "name": client.full_name,
            "address": " ".join(p for p in (client.address_line, client.city) if p),
            "phone": client.phone,
        }
    else:
        initial = {}
    return MediationPartyForm(prefix=prefix, initial=initial)


def _case_page(request, case: Case, *, party_forms=None, step_form=None):
    party_forms = party_forms or {}
    parties = {party.number: party for party in case.mediation_parties.all()}
    lines = mediation.step_lines(case)
    is_open = case.status not in FINAL_STATUSES
    upcoming = mediation.next_step(lines) if is_open else None
    if step_form is None and upcoming is not None:
        step_form = step_form_class(upcoming)(step=upcoming)
    shown_step = step_form["step"].value() if step_form is not None else None
    context = {
        "case": case,
        "is_open": is_open,
        "party_rows": [
            {
                "number": number,
                "party": parties.get(number),
                "form": party_forms.get(number) or _party_form(case, number, parties.get(number)),
            }
            for number in (1, 2)
        ],
        "lines": lines,
        "next_step": shown_step,
        "next_step_label": STEP_LABELS.get(shown_step),
        "step_form": step_form,
        "is_assessment": shown_step == MediationStep.ASSESSMENT,
        "follow_up": mediation.open_aftercare_follow_up(case),
        "aftercare_planned_on": _aftercare_planned_on(lines),
        "referrals": list(case.referrals.all()),
    }
    return render(request, "cases/mediation/case.html", context)


def _aftercare_planned_on(lines):
    for line in lines:
        if line.step == MediationStep.JOINT_TALK and line.record is not None:
            return mediation.aftercare_due_on(line.record.date)
    return None


@require_GET
@view_overview_required
def case_page(request, case_id: int):
    case = _get_case_or_404(request, case_id)
    return _case_page(request, case)


@require_POST
@view_overview_required
def save_party(request, case_id: int, number: int):
    if number not in (1, 2):
        raise Http404
    case = _get_case_or_404(request, case_id)
    form = MediationPartyForm(request.POST, prefix=f"partij{number}")
    if form.is_valid():
        try:
            mediation.save_party(
                case=case, number=number, saved_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, _("Partij %(number)s is opgeslagen.") % {"number": number})
            return redirect(reverse("mediation:case", args=[case.pk]) + "#partijen")
    return _case_page(request, case, party_forms={number: form})


@require_POST
@view_overview_required
def record_step(request, case_id: int):
    case = _get_case_or_404(request, case_id)
    step = request.POST.get("step", "")
    if step not in MediationStep.values:
        messages.error(request, _("Onbekende stap; probeer het opnieuw."))
        return redirect("mediation:case", case_id=case.pk)
    form = step_form_class(step)(request.POST, step=step)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("decision") == REFER_ON:
                mediation.refer_on_at_assessment(
                    case=case,
                    date=data["date"],
                    partner=data["partner"],
                    partner_detail=data["partner_detail"],
                    note=data["note"],
                    recorded_by=request.user,
                )
                done = _("De melding is doorverwezen en het traject heeft nu status doorverwezen.")
            else:
                follow_up = (
                    mediation.open_aftercare_follow_up(case)
                    if step == MediationStep.AFTERCARE
                    else None
                )
                if follow_up is not None:
                    mediation.complete_aftercare(
                        follow_up=follow_up,
                        date=data["date"],
                        note=data["note"],
                        done_by=request.user,
                    )
                else:
                    mediation.record_mediation_step(
                        case=case,
                        step=step,
                        date=data["date"],
                        note=data["note"],
                        recorded_by=request.user,
                    )
                done = _("Stap '%(step)s' is vastgelegd.") % {"step": STEP_LABELS[step]}
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("mediation:case", args=[case.pk]) + "#stappen")
    return _case_page(request, case, step_form=form)
