"""Moving a case through its statuses; every change recorded with who and when."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.choices import (
    ALLOWED_TRANSITIONS,
    INSTRUMENTS,
    CaseStatus,
    ConsentPurpose,
    ContactKind,
    GoalReached,
    Instrument,
    Partner,
)
from cases.models import Case, CaseOutcome, CaseStatusChange, Contact, OutcomeScore, Referral
from meerwaarde.audit.bulk_history import log_bulk_created
from meerwaarde.dates import validate_registration_date
from meerwaarde.form_guards import check_text_length
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm
from meerwaarde.text_limits import NOTE_LENGTH, REPORT_LENGTH, SHORT_NOTE_LENGTH

from .consent import ensure_consent

PARTNER_DETAIL_LENGTH = Referral._meta.get_field("partner_detail").max_length


def allowed_next_statuses(case: Case) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS[case.status]


def check_case_version(case: Case, expected_version: int | None) -> None:
    """Optimistic locking: the page the user edited showed `expected_version`; when someone
    saved the case since, refuse instead of silently overwriting their change. `case` must be
    the row locked with select_for_update. None (a caller without a form) skips the check."""
    if expected_version is not None and case.version != expected_version:
        raise ValidationError(
            _(
                "Iemand anders heeft dit traject intussen gewijzigd. Er is niets opgeslagen: "
                "laad de pagina opnieuw en kijk of uw wijziging nog nodig is."
            ),
            code="conflict",
        )


def change_case_status(
    *,
    case: Case,
    to_status: str,
    changed_by,
    note: str = "",
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Moves the case to `to_status` if the flow allows it. The case page closes through
    `close_case`, which also records the outcome. `expected_version`: see
    `check_case_version`. `changed_by` needs cases.change_case on the case."""
    require_perm(changed_by, "cases.change_case", case)
    return apply_status_change(
        case=case,
        to_status=to_status,
        changed_by=changed_by,
        note=note,
        on=on,
        expected_version=expected_version,
    )


@transaction.atomic
def apply_status_change(
    *,
    case: Case,
    to_status: str,
    changed_by,
    note: str = "",
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """The status change itself, for a service that has checked its own permission first
    (mediation's cases.run_mediation)."""
    check_text_length("note", note, SHORT_NOTE_LENGTH)
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_case_version(case, expected_version)
    if to_status not in ALLOWED_TRANSITIONS[case.status]:
        raise ValidationError(
            _("Een traject met status '%(from)s' kan niet naar '%(to)s'.")
            % {
                "from": CaseStatus(case.status).label,
                "to": CaseStatus(to_status).label if to_status in CaseStatus.values else to_status,
            }
        )
    if on is not None:
        try:
            validate_registration_date(on)
        except ValidationError as error:
            raise ValidationError({"on": error.messages}) from None
    today = on or datetime.date.today()
    CaseStatusChange.objects.create(
        case=case, from_status=case.status, to_status=to_status, changed_by=changed_by, note=note
    )
    case.status = to_status
    if to_status == CaseStatus.WAITING_LIST:
        case.waiting_since = today
    elif case.waiting_since and to_status in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        case.waiting_since = None
    if to_status in (CaseStatus.CLOSED, CaseStatus.REFERRED, CaseStatus.CANCELLED):
        case.closed_on = today
    case.version += 1
    case.save(update_fields=["status", "waiting_since", "closed_on", "version", "updated_at"])
    # A case counts in every month it was open (persons reached, intakes, closed cases).
    record_change(source=Case, spans=[(case.registered_on, case.closed_on)])
    return case


def _validate_date(date: datetime.date) -> None:
    try:
        validate_registration_date(date)
    except ValidationError as error:
        raise ValidationError({"date": error.messages}) from None


@transaction.atomic
def add_contact(*, case: Case, date: datetime.date, kind: str, summary: str, created_by) -> Contact:
    require_perm(created_by, "cases.change_case", case)
    _validate_date(date)
    if date < case.registered_on:
        raise ValidationError({"date": _("Het contact ligt vóór de aanmelddatum van het traject.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Schrijf een kort verslag.")})
    check_text_length("summary", summary.strip(), REPORT_LENGTH)
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Kies een soort contact.")})
    return Contact.objects.create(
        case=case, date=date, kind=kind, summary=summary.strip(), created_by=created_by
    )


def add_referral(
    *,
    case: Case,
    partner: str,
    date: datetime.date,
    created_by,
    partner_detail: str = "",
    data_shared: bool = False,
    note: str = "",
) -> Referral:
    """Records an onward referral. Sharing the client's data needs their consent.
    `created_by` needs cases.change_case on the case."""
    require_perm(created_by, "cases.change_case", case)
    return apply_referral(
        case=case,
        partner=partner,
        date=date,
        created_by=created_by,
        partner_detail=partner_detail,
        data_shared=data_shared,
        note=note,
    )


@transaction.atomic
def apply_referral(
    *,
    case: Case,
    partner: str,
    date: datetime.date,
    created_by,
    partner_detail: str = "",
    data_shared: bool = False,
    note: str = "",
) -> Referral:
    """The referral itself, for a service that has checked its own permission first
    (mediation's cases.run_mediation)."""
    if partner not in Partner.values:
        raise ValidationError({"partner": _("Kies een partner uit de lijst.")})
    if partner == Partner.OTHER and not partner_detail.strip():
        raise ValidationError({"partner_detail": _("Noem de partner.")})
    check_text_length("partner_detail", partner_detail.strip(), PARTNER_DETAIL_LENGTH)
    check_text_length("note", note.strip(), NOTE_LENGTH)
    _validate_date(date)
    if data_shared:
        ensure_consent(
            client=case.client, purpose=ConsentPurpose.SHARE_WITH_PARTNERS, field="data_shared"
        )
    referral = Referral.objects.create(
        case=case,
        partner=partner,
        partner_detail=partner_detail.strip(),
        date=date,
        data_shared=data_shared,
        note=note.strip(),
        created_by=created_by,
    )
    record_change(source=Referral, dates=[date])
    return referral


@dataclass(frozen=True)
class Score:
    instrument: str
    moment: str
    domain: str
    score: int


def validate_scores(scores: list[Score]) -> None:
    for item in scores:
        spec = INSTRUMENTS.get(item.instrument)
        if spec is None:
            raise ValidationError(_("Onbekend meetinstrument."))
        if item.domain not in spec["domains"].values:
            raise ValidationError(_("Onbekend domein %(domain)s.") % {"domain": item.domain})
        if not spec["min"] <= item.score <= spec["max"]:
            raise ValidationError(
                _("Een score op %(instrument)s ligt tussen %(min)s en %(max)s.")
                % {
                    "instrument": Instrument(item.instrument).label,
                    "min": spec["min"],
                    "max": spec["max"],
                }
            )


@transaction.atomic
def close_case(
    *,
    case: Case,
    closed_by,
    goal_reached: str,
    can_continue_independently: bool,
    referred_to: str = "",
    note: str = "",
    scores: list[Score] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Closes an active case with its outcome and, optionally, before/after scores.
    `expected_version`: see `check_case_version`. `closed_by` needs cases.change_case on
    the case."""
    require_perm(closed_by, "cases.change_case", case)
    scores = scores or []
    if goal_reached not in GoalReached.values:
        raise ValidationError({"goal_reached": _("Geef aan of het doel is bereikt.")})
    if referred_to and referred_to not in Partner.values:
        raise ValidationError({"referred_to": _("Kies een partner uit de lijst.")})
    check_text_length("note", note.strip(), NOTE_LENGTH)
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_case_version(case, expected_version)
    if case.status != CaseStatus.ACTIVE:
        raise ValidationError(
            _("Alleen een actief traject kan met een resultaat worden afgesloten.")
        )
    validate_scores(scores)
    case = apply_status_change(
        case=case, to_status=CaseStatus.CLOSED, changed_by=closed_by, note=_("Afgesloten")
    )
    CaseOutcome.objects.create(
        case=case,
        goal_reached=goal_reached,
        can_continue_independently=can_continue_independently,
        referred_to=referred_to,
        note=note.strip(),
        recorded_by=closed_by,
    )
    record_change(source=CaseOutcome, dates=[case.closed_on])
    log_bulk_created(
        OutcomeScore.objects.bulk_create(
            OutcomeScore(
                case=case,
                instrument=item.instrument,
                instrument_version=INSTRUMENTS[item.instrument]["version"],
                moment=item.moment,
                domain=item.domain,
                score=item.score,
                recorded_by=closed_by,
            )
            for item in scores
        ),
        actor=closed_by,
    )
    return case
