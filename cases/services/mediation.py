"""Buurtbemiddeling: the parties of a melding, the steps of the method in the seed's
order, and the nazorg call about six weeks after the joint talk.

The coordinator takes the melding and assesses it (accept, or refer on); two volunteer
mediators talk with party 1, with party 2, organise the joint talk and call both parties
for nazorg; every step is reported. The reads the pages need sit at the end."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from cases.choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    CaseStatus,
    FollowUpKind,
    MediationStep,
    Partner,
)
from cases.models import Case, FollowUp, MediationParty, MediationStepRecord, Referral
from cases.selectors import cases_visible_to
from meerwaarde.audit.bulk_history import log_bulk_created, log_bulk_updated
from meerwaarde.dates import registration_date_window
from meerwaarde.permissions import require_perm

from .case_flow import apply_referral, apply_status_change

MEDIATION_PRODUCT_SLUG = "buurt-en-groepsbemiddeling"
STEP_ORDER: tuple[str, ...] = tuple(MediationStep.values)  # the seed's order
TALK_STEPS = (MediationStep.TALK_PARTY_1, MediationStep.TALK_PARTY_2)
STEPS_NEEDING_PARTIES = STEP_ORDER[STEP_ORDER.index(MediationStep.TALK_PARTY_1) :]
# "Na ongeveer 6 weken": the follow-up is due 42 days after the joint talk and shows up
# in the coordinator's list a week before.
AFTERCARE_AFTER_DAYS = 42
AFTERCARE_NOTICE_DAYS = 7
AFTERCARE_DESCRIPTION = "Bel beide partijen voor nazorg"


def is_mediation_case(case: Case) -> bool:
    return case.product.slug == MEDIATION_PRODUCT_SLUG


def _ensure_may_run(case: Case, user) -> None:
    require_perm(user, "cases.run_mediation", case)


def _ensure_open_mediation_case(case: Case) -> None:
    if not is_mediation_case(case):
        raise ValidationError(_("Dit traject is geen buurtbemiddeling."))
    if case.status in FINAL_STATUSES:
        raise ValidationError(
            _("Dit traject is %(status)s; er kan niets meer aan worden toegevoegd.")
            % {"status": CaseStatus(case.status).label.lower()}
        )


@transaction.atomic
def save_party(
    *, case: Case, number: int, name: str, address: str = "", phone: str = "", saved_by
) -> MediationParty:
    """Records or corrects party 1 or party 2 of a melding."""
    _ensure_may_run(case, saved_by)
    _ensure_open_mediation_case(case)
    name, address, phone = (name or "").strip(), (address or "").strip(), (phone or "").strip()
    errors: dict[str, list[str]] = {}
    if number not in (1, 2):
        errors["number"] = [_("Een melding heeft partij 1 en partij 2.")]
    if not name:
        errors["name"] = [_("Vul de naam van de partij in.")]
    elif len(name) > 150:
        errors["name"] = [_("Een naam is hooguit 150 tekens.")]
    if len(address) > 200:
        errors["address"] = [_("Een adres is hooguit 200 tekens.")]
    if len(phone) > 30:
        errors["phone"] = [_("Een telefoonnummer is hooguit 30 tekens.")]
    if errors:
        raise ValidationError(errors)
    party, _created = MediationParty.objects.update_or_create(
        case=case, number=number, defaults={"name": name, "address": address, "phone": phone}
    )
    return party


def _validate_step(
    *, case: Case, step: str, date: datetime.date, note: str
) -> dict[str, list[str]]:
    """Every rule of the step order, collected per form field."""
    errors: dict[str, list[str]] = {}
    if step not in STEP_ORDER:
        return {"step": [_("Onbekende stap.")]}
    label = MediationStep(step).label
    recorded = {record.step: record for record in case.mediation_steps.all()}
    if step in recorded:
        errors.setdefault("step", []).append(
            _("De stap '%(step)s' is al vastgelegd op %(date)s.")
            % {"step": label, "date": recorded[step].date.strftime("%d-%m-%Y")}
        )
        return errors
    position = STEP_ORDER.index(step)
    missing = [s for s in STEP_ORDER[:position] if s not in recorded]
    if step == MediationStep.AFTERCARE and MediationStep.JOINT_TALK in missing:
        errors.setdefault("step", []).append(
            _("Nazorg volgt pas na het gezamenlijke bemiddelingsgesprek.")
        )
    elif missing:
        errors.setdefault("step", []).append(
            _("Leg eerst de stap '%(previous)s' vast.")
            % {"previous": MediationStep(missing[0]).label}
        )
    if step in STEPS_NEEDING_PARTIES:
        numbers = set(case.mediation_parties.values_list("number", flat=True))
        if numbers != {1, 2}:
            errors.setdefault("step", []).append(
                _("Leg eerst beide partijen vast (naam, adres, telefoon).")
            )
    if date not in (window := registration_date_window()):
        errors.setdefault("date", []).append(window.message)
    elif date < case.registered_on:
        errors.setdefault("date", []).append(
            _("De datum ligt vóór de aanmelddatum van de melding (%(date)s).")
            % {"date": case.registered_on.strftime("%d-%m-%Y")}
        )
    else:
        earlier = [recorded[s] for s in STEP_ORDER[:position] if s in recorded]
        latest = max(earlier, key=lambda record: record.date) if earlier else None
        if latest is not None and date < latest.date:
            errors.setdefault("date", []).append(
                _("De datum ligt vóór de vorige stap '%(step)s' (%(date)s).")
                % {
                    "step": MediationStep(latest.step).label,
                    "date": latest.date.strftime("%d-%m-%Y"),
                }
            )
    if not note.strip():
        errors.setdefault("note", []).append(_("Schrijf een kort verslag van deze stap."))
    elif len(note) > 10000:
        errors.setdefault("note", []).append(_("Een verslag is hooguit 10.000 tekens."))
    return errors


def _locked_case(case: Case) -> Case:
    """The case row locked, so two people recording a step at once cannot both pass."""
    return Case.objects.select_for_update().select_related("product").get(pk=case.pk)


@transaction.atomic
def record_mediation_step(
    *, case: Case, step: str, date: datetime.date, note: str = "", recorded_by
) -> MediationStepRecord:
    """Records the next step of the method with its date and report.

    The first talk with a party means the mediation runs: a case still aangemeld, in
    intake or on the waiting list becomes actief. Recording nazorg also ticks off the
    open nazorg follow-up."""
    _ensure_may_run(case, recorded_by)
    case = _locked_case(case)
    _ensure_open_mediation_case(case)
    errors = _validate_step(case=case, step=step, date=date, note=note or "")
    if errors:
        raise ValidationError(errors)
    record = MediationStepRecord.objects.create(
        case=case, step=step, date=date, note=note.strip(), recorded_by=recorded_by
    )
    if step == MediationStep.TALK_PARTY_1:
        _activate(case, changed_by=recorded_by)
    if step == MediationStep.AFTERCARE:
        open_follow_ups = FollowUp.objects.filter(
            case=case, kind=FollowUpKind.MEDIATION_AFTERCARE, done_on__isnull=True
        )
        ticked_off = list(open_follow_ups.select_for_update())
        open_follow_ups.update(done_on=date, done_by=recorded_by)
        log_bulk_updated(
            ticked_off, changes={"done_on": date, "done_by": recorded_by}, actor=recorded_by
        )
    return record


def _activate(case: Case, *, changed_by) -> None:
    note = _("Eerste gesprek van de bemiddelaars")
    if case.status == CaseStatus.REGISTERED:
        case = apply_status_change(
            case=case, to_status=CaseStatus.INTAKE, changed_by=changed_by, note=note
        )
    if case.status in (CaseStatus.INTAKE, CaseStatus.WAITING_LIST):
        apply_status_change(
            case=case, to_status=CaseStatus.ACTIVE, changed_by=changed_by, note=note
        )


@transaction.atomic
def refer_on_at_assessment(
    *,
    case: Case,
    date: datetime.date,
    partner: str,
    partner_detail: str = "",
    note: str = "",
    recorded_by,
) -> Referral:
    """The assessment's other outcome: bemiddeling does not fit (contra-indications, not a
    'huis-tuin-en-keukenconflict'), so the resident is referred on. Records the assessment
    step, the referral to the partner, and the status doorverwezen — all or nothing."""
    _ensure_may_run(case, recorded_by)
    case = _locked_case(case)
    _ensure_open_mediation_case(case)
    errors = _validate_step(case=case, step=MediationStep.ASSESSMENT, date=date, note=note or "")
    if partner not in Partner.values:
        errors.setdefault("partner", []).append(_("Kies naar welke partner is doorverwezen."))
    elif partner == Partner.OTHER and not (partner_detail or "").strip():
        errors.setdefault("partner_detail", []).append(_("Noem de partner."))
    if errors:
        raise ValidationError(errors)
    MediationStepRecord.objects.create(
        case=case,
        step=MediationStep.ASSESSMENT,
        date=date,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    referral = apply_referral(
        case=case,
        partner=partner,
        partner_detail=partner_detail,
        date=date,
        note=note,
        created_by=recorded_by,
    )
    apply_status_change(
        case=case,
        to_status=CaseStatus.REFERRED,
        changed_by=recorded_by,
        note=_("Beoordeling melding: doorverwezen"),
        on=date,
    )
    return referral


def aftercare_due_on(joint_talk_on: datetime.date) -> datetime.date:
    return joint_talk_on + datetime.timedelta(days=AFTERCARE_AFTER_DAYS)


@transaction.atomic
def schedule_aftercare_follow_ups(*, today: datetime.date) -> int:
    """Creates the nazorg follow-up for every open melding whose joint talk is about six
    weeks ago (due within a week, or past) and that has neither a nazorg follow-up nor a
    nazorg step yet. Set-based and idempotent: a second run creates nothing."""
    latest_joint_talk = today + datetime.timedelta(
        days=AFTERCARE_NOTICE_DAYS - AFTERCARE_AFTER_DAYS
    )
    due = (
        Case.objects.filter(
            product__slug=MEDIATION_PRODUCT_SLUG,
            status__in=OPEN_STATUSES,
            mediation_steps__step=MediationStep.JOINT_TALK,
            mediation_steps__date__lte=latest_joint_talk,
        )
        .exclude(follow_ups__kind=FollowUpKind.MEDIATION_AFTERCARE)
        .exclude(mediation_steps__step=MediationStep.AFTERCARE)
        .values_list("pk", "mediation_steps__date")
    )
    new = [
        FollowUp(
            case_id=case_id,
            kind=FollowUpKind.MEDIATION_AFTERCARE,
            due_on=aftercare_due_on(joint_talk_on),
            description=AFTERCARE_DESCRIPTION,
        )
        for case_id, joint_talk_on in due
    ]
    if not new:
        return 0
    # The partial unique constraint makes a concurrent run harmless. bulk_create with
    # ignore_conflicts returns no ids: the rows it added are the newer ones.
    last_before = FollowUp.objects.aggregate(last=Max("pk"))["last"] or 0
    FollowUp.objects.bulk_create(new, ignore_conflicts=True)
    log_bulk_created(
        list(
            FollowUp.objects.filter(
                kind=FollowUpKind.MEDIATION_AFTERCARE,
                case_id__in=[item.case_id for item in new],
                pk__gt=last_before,
            )
        )
    )
    return FollowUp.objects.filter(
        kind=FollowUpKind.MEDIATION_AFTERCARE, case_id__in=[item.case_id for item in new]
    ).count()


@transaction.atomic
def complete_aftercare(
    *, follow_up: FollowUp, date: datetime.date, note: str, done_by
) -> MediationStepRecord:
    """The nazorg call has been made: records the nazorg step and ticks off the follow-up."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("case__product").get(pk=follow_up.pk)
    )
    if follow_up.kind != FollowUpKind.MEDIATION_AFTERCARE:
        raise ValidationError(_("Dit is geen nazorgactie van buurtbemiddeling."))
    if follow_up.done_on is not None:
        raise ValidationError(
            _("Deze nazorg is al afgerond op %(date)s.")
            % {"date": follow_up.done_on.strftime("%d-%m-%Y")}
        )
    # Recording the nazorg step ticks off the case's open nazorg follow-up: this one.
    return record_mediation_step(
        case=follow_up.case,
        step=MediationStep.AFTERCARE,
        date=date,
        note=note,
        recorded_by=done_by,
    )


# --- Reads for the pages -----------------------------------------------------------------


def mediation_cases_visible_to(user) -> QuerySet[Case]:
    """Meldingen the user may run: the product's coordinators see all of them, social
    workers those of their teams (both through `cases_visible_to`)."""
    return cases_visible_to(user).filter(product__slug=MEDIATION_PRODUCT_SLUG)


def open_meldingen(user) -> QuerySet[Case]:
    """Open meldingen with their latest step and its date, in one query."""
    latest = MediationStepRecord.objects.filter(case=OuterRef("pk")).order_by("-date", "-id")
    return (
        mediation_cases_visible_to(user)
        .exclude(status__in=FINAL_STATUSES)
        .select_related("client", "team")
        .annotate(
            latest_step=Subquery(latest.values("step")[:1]),
            latest_step_on=Subquery(latest.values("date")[:1]),
        )
        .order_by("registered_on", "id")
    )


def aftercare_to_do(user) -> QuerySet[FollowUp]:
    """Open nazorg follow-ups of the user's open meldingen, oldest due date first."""
    return (
        FollowUp.objects.filter(
            kind=FollowUpKind.MEDIATION_AFTERCARE,
            done_on__isnull=True,
            case__in=mediation_cases_visible_to(user).exclude(status__in=FINAL_STATUSES),
        )
        .select_related("case__client")
        .order_by("due_on", "id")
    )


@dataclass
class StepLine:
    step: str
    label: str
    record: MediationStepRecord | None


def step_lines(case: Case) -> list[StepLine]:
    """All steps in the seed's order, each with its record when recorded."""
    records = {record.step: record for record in case.mediation_steps.select_related("recorded_by")}
    return [
        StepLine(step=value, label=str(label), record=records.get(value))
        for value, label in MediationStep.choices
    ]


def next_step(lines: list[StepLine]) -> str | None:
    for line in lines:
        if line.record is None:
            return line.step
    return None


def open_aftercare_follow_up(case: Case) -> FollowUp | None:
    return FollowUp.objects.filter(
        case=case, kind=FollowUpKind.MEDIATION_AFTERCARE, done_on__isnull=True
    ).first()
