"""The match lifecycle: proposing a volunteer for a case, moving the match through its
statuses (every change recorded in MatchStatusChange) and recording evaluations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.choices import CaseStatus
from cases.models import Case
from cases.rules import coordinated_product_ids
from cases.services.case_flow import apply_status_change
from catalogue.models import Product, VolunteerMatching
from meerwaarde.dates import registration_date_window
from meerwaarde.form_guards import INVALID_CHOICE, check_text_length, too_long_message
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm
from meerwaarde.text_limits import EVALUATION_NOTES_LENGTH, NOTE_LENGTH

from ..models import (
    OCCUPYING_MATCH_STATUSES,
    Match,
    MatchRole,
    MatchStatus,
    MatchStatusChange,
    Volunteer,
)
from ..screening import screening_problems
from .registry import volunteers_visible_to

MATCH_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MatchStatus.PROPOSED: (MatchStatus.INTRODUCTION, MatchStatus.BROKEN_OFF),
    MatchStatus.INTRODUCTION: (MatchStatus.ACTIVE, MatchStatus.BROKEN_OFF),
    MatchStatus.ACTIVE: (MatchStatus.COMPLETED, MatchStatus.BROKEN_OFF),
    MatchStatus.COMPLETED: (),
    MatchStatus.BROKEN_OFF: (),
}

# A case can get a volunteer while it waits, during intake and while it runs.
CASE_STATUSES_OPEN_FOR_MATCHING = (CaseStatus.WAITING_LIST, CaseStatus.INTAKE, CaseStatus.ACTIVE)
# A case on these statuses becomes active when its first match does.
CASE_STATUSES_ACTIVATED_BY_MATCH = (CaseStatus.WAITING_LIST, CaseStatus.INTAKE)
MEDIATORS_NEEDED = 2
EVALUATION_KINDS = ("tussen", "eind")


def role_for_product(product: Product) -> str:
    """The role a volunteer has on a case of this product."""
    if product.volunteer_matching == VolunteerMatching.TWO_MEDIATORS:
        return MatchRole.MEDIATOR
    if product.volunteer_matching == VolunteerMatching.MENTOR_MENTEE:
        return MatchRole.MENTOR
    if product.volunteer_matching == VolunteerMatching.HOST_AT_LOCATION:
        return MatchRole.HOST
    if product.slug.startswith("home-start"):
        return MatchRole.HOME_START
    return MatchRole.VOLUNTEER


def allowed_next_statuses(match: Match) -> tuple[str, ...]:
    return MATCH_TRANSITIONS[match.status]


def _check_date(on: datetime.date, *, not_before: datetime.date | None, field: str) -> None:
    if on not in (window := registration_date_window()):
        raise ValidationError({field: window.message})
    if not_before is not None and on < not_before:
        raise ValidationError(
            {
                field: _("De datum kan niet vóór %(date)s liggen.")
                % {"date": not_before.strftime("%d-%m-%Y")}
            }
        )


@transaction.atomic
def propose_match(
    *, case: Case, volunteer: Volunteer, role: str, proposed_by, on: datetime.date
) -> Match:
    """Proposes the volunteer for the case; refuses with the Dutch reasons why not. A case
    or volunteer outside the proposer's products is refused with one message that names
    nothing about them (the reasons would tell a VOG date, a status, a training)."""
    # Locking the volunteer keeps two coordinators from filling the same last place.
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    case = Case.objects.select_related("product").get(pk=case.pk)
    if (
        not proposed_by.has_perm("volunteers.use_volunteer_pages")
        or case.product_id not in coordinated_product_ids(proposed_by)
        or not volunteers_visible_to(proposed_by).filter(pk=volunteer.pk).exists()
    ):
        raise ValidationError(INVALID_CHOICE, code="invalid_choice")
    product = case.product
    if product.volunteer_matching == VolunteerMatching.NONE:
        raise ValidationError(
            _("Bij %(product)s worden geen vrijwilligers gekoppeld.") % {"product": product.name}
        )
    if case.status not in CASE_STATUSES_OPEN_FOR_MATCHING:
        raise ValidationError(
            _("Een traject met status '%(status)s' kan geen vrijwilliger krijgen.")
            % {"status": CaseStatus(case.status).label}
        )
    expected_role = role_for_product(product)
    if role not in MatchRole.values:
        raise ValidationError({"role": _("Kies een rol uit de lijst.")})
    if product.volunteer_matching == VolunteerMatching.TWO_MEDIATORS and role != expected_role:
        raise ValidationError({"role": _("Bij buurtbemiddeling is de rol altijd bemiddelaar.")})
    _check_date(on, not_before=case.registered_on, field="on")
    if Match.objects.filter(case=case, volunteer=volunteer).exists():
        raise ValidationError(
            _("%(name)s is al aan dit traject gekoppeld.") % {"name": volunteer.full_name}
        )
    problems = screening_problems(volunteer, product, on=on)
    occupied = volunteer.matches.filter(status__in=OCCUPYING_MATCH_STATUSES).count()
    if occupied >= volunteer.max_matches:
        problems.append(_("%(name)s heeft geen plek meer vrij.") % {"name": volunteer.full_name})
    if product.volunteer_matching == VolunteerMatching.TWO_MEDIATORS:
        open_mediators = case.matches.filter(
            role=MatchRole.MEDIATOR, status__in=OCCUPYING_MATCH_STATUSES
        ).count()
        if open_mediators >= MEDIATORS_NEEDED:
            problems.append(_("Deze melding heeft al twee bemiddelaars."))
    if problems:
        raise ValidationError(problems)
    match = Match.objects.create(
        volunteer=volunteer,
        case=case,
        role=role,
        status=MatchStatus.PROPOSED,
        proposed_on=on,
        created_by=proposed_by,
    )
    record_change(source=Match, spans=[(match.proposed_on, match.ended_on)])
    MatchStatusChange.objects.create(
        match=match, from_status="", to_status=MatchStatus.PROPOSED, changed_by=proposed_by
    )
    return match


def _last_date(match: Match) -> datetime.date:
    return max(d for d in (match.proposed_on, match.introduced_on, match.started_on) if d)


@transaction.atomic
def change_match_status(
    *, match: Match, to_status: str, changed_by, on: datetime.date, reason: str = ""
) -> Match:
    """voorgesteld → kennismaking → actief → afgerond; afgebroken (with a reason) from any
    open status. A match that becomes active makes a waiting case active (the
    coordinator's volunteers.manage_match covers that status change)."""
    require_perm(changed_by, "volunteers.manage_match", match)
    match = Match.objects.select_for_update().select_related("case__product").get(pk=match.pk)
    reason = reason.strip()
    if to_status not in MATCH_TRANSITIONS[match.status]:
        raise ValidationError(
            {
                "to_status": _("Een koppeling met status '%(from)s' kan niet naar '%(to)s'.")
                % {
                    "from": MatchStatus(match.status).label,
                    "to": MatchStatus(to_status).label
                    if to_status in MatchStatus.values
                    else to_status,
                }
            }
        )
    if to_status == MatchStatus.BROKEN_OFF and not reason:
        raise ValidationError({"reason": _("Geef een reden waarom de koppeling stopt.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Houd de reden korter dan 300 tekens.")})
    _check_date(on, not_before=_last_date(match), field="on")
    case = match.case
    if (
        to_status == MatchStatus.ACTIVE
        and case.product.volunteer_matching == VolunteerMatching.TWO_MEDIATORS
    ):
        ready = case.matches.filter(
            role=MatchRole.MEDIATOR,
            status__in=(MatchStatus.INTRODUCTION, MatchStatus.ACTIVE),
        ).count()
        if ready < MEDIATORS_NEEDED:
            raise ValidationError(
                {
                    "to_status": _(
                        "Buurtbemiddeling heeft twee bemiddelaars nodig: koppel eerst een "
                        "tweede bemiddelaar en leg de kennismaking vast."
                    )
                }
            )
    MatchStatusChange.objects.create(
        match=match,
        from_status=match.status,
        to_status=to_status,
        changed_by=changed_by,
        note=reason,
    )
    match.status = to_status
    if to_status == MatchStatus.INTRODUCTION:
        match.introduced_on = on
    elif to_status == MatchStatus.ACTIVE:
        match.started_on = on
    else:
        match.ended_on = on
        match.end_reason = reason
    match.save()
    record_change(source=Match, spans=[(match.proposed_on, match.ended_on)])
    if to_status == MatchStatus.ACTIVE and case.status in CASE_STATUSES_ACTIVATED_BY_MATCH:
        apply_status_change(
            case=case,
            to_status=CaseStatus.ACTIVE,
            changed_by=changed_by,
            note=_("Koppeling met %(name)s is actief.") % {"name": match.volunteer.full_name},
            on=on,
        )
    return match


@transaction.atomic
def record_evaluation(
    *, match: Match, kind: str, date: datetime.date, notes: str, recorded_by
) -> Match:
    """Records the interim ("tussen") or final ("eind") evaluation of a started match."""
    require_perm(recorded_by, "volunteers.manage_match", match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    notes = notes.strip()
    if kind not in EVALUATION_KINDS:
        raise ValidationError({"kind": _("Kies tussenevaluatie of eindevaluatie.")})
    if match.started_on is None:
        raise ValidationError(_("Een evaluatie kan pas als de koppeling actief is geweest."))
    if not notes:
        raise ValidationError({"notes": _("Schrijf kort op wat er besproken is.")})
    check_text_length("notes", notes, NOTE_LENGTH)
    _check_date(date, not_before=match.started_on, field="date")
    label = _("Tussenevaluatie") if kind == "tussen" else _("Eindevaluatie")
    if kind == "tussen":
        match.interim_evaluation_on = date
    else:
        match.final_evaluation_on = date
    entry = f"{label} {date:%d-%m-%Y} ({recorded_by.get_full_name() or recorded_by}): {notes}"
    combined = f"{match.evaluation_notes}\n\n{entry}" if match.evaluation_notes else entry
    if too_long_message(combined, EVALUATION_NOTES_LENGTH):
        raise ValidationError(
            {
                "notes": _(
                    "Het evaluatieverslag van deze koppeling is vol (hooguit %(limit)d tekens). "
                    "Vat deze evaluatie korter samen."
                )
                % {"limit": EVALUATION_NOTES_LENGTH}
            }
        )
    match.evaluation_notes = combined
    match.save(update_fields=["interim_evaluation_on", "final_evaluation_on", "evaluation_notes"])
    return match
