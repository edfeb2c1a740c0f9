"""Inzage (AVG art. 15): everything stored about one client, for the client. The sections
of apps above cases (the matches) come from `meerwaarde.audit.avg_registry`."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.choices import LifeDomain, domain_label
from cases.models import Case, Client, HourRegistration
from meerwaarde.audit.avg_registry import inzage_case_sections
from meerwaarde.audit.models import PersonalDataAccess
from meerwaarde.audit.presenters import readable_history, readable_value


def _person(user) -> str | None:
    return user.display_name if user is not None else None


def _field_value(instance: models.Model, model_field: models.Field):
    """The value of the JSON export (stable since the first version): choice labels,
    related rows by name, everything else as stored."""
    if model_field.choices:
        return getattr(instance, f"get_{model_field.name}_display")()
    if model_field.is_relation:
        related = getattr(instance, model_field.name)
        if related is None:
            return None
        return getattr(related, "display_name", None) or getattr(related, "name", str(related))
    return getattr(instance, model_field.attname)


INZAGE_CLIENT_FIELDS_SKIPPED = ("search_name", "version")


def _choice_label(choices, value: str) -> str:
    return dict(choices).get(value, value)


def build_inzage(*, client: Client) -> dict:
    """Everything stored about one client, for the client (AVG art. 15). Only this
    client's records: hours booked on their cases (date, hours, product), volunteers of
    their matches by first name. JSON-ready with DjangoJSONEncoder (dates, decimals)."""
    client = Client.objects.select_related(
        "kern", "wijk", "team", "household", "created_by", "anonymised_by"
    ).get(pk=client.pk)
    personal_data = [
        {
            "field": model_field.name,
            "label": str(model_field.verbose_name),
            "value": _field_value(client, model_field),
            "display": readable_value(model_field, getattr(client, model_field.name)),
        }
        for model_field in Client._meta.concrete_fields
        if model_field.name not in INZAGE_CLIENT_FIELDS_SKIPPED
    ]
    household = None
    if client.household_id:
        household = {"name": client.household.name, "created_at": client.household.created_at}
    consents = [
        {
            "purpose": consent.get_purpose_display(),
            "given": consent.given,
            "text_version": consent.text_version,
            "recorded_at": consent.recorded_at,
            "recorded_by": _person(consent.recorded_by),
            "withdrawn_at": consent.withdrawn_at,
            "withdrawn_by": _person(consent.withdrawn_by),
        }
        for consent in client.consents.select_related("recorded_by", "withdrawn_by")
    ]
    cases = (
        Case.objects.filter(client=client)
        .select_related("product", "team", "responsible_worker", "outcome__recorded_by")
        .prefetch_related(
            "status_changes__changed_by",
            "contacts__created_by",
            "referrals__created_by",
            "scores",
            "mediation_parties",
            "mediation_steps",
            "follow_ups",
        )
        .order_by("registered_on", "id")
    )
    hours_by_case: dict[int, list[dict]] = {}
    for hours in (
        HourRegistration.objects.filter(case__client=client)
        .select_related("product")
        .order_by("date", "id")
    ):
        hours_by_case.setdefault(hours.case_id, []).append(
            {"date": hours.date, "hours": hours.hours, "product": hours.product.name}
        )
    # Sections of other apps (volunteers: "matches"), each {case_id: [rows]}.
    sections = [(section.key, section.rows_by_case(client)) for section in inzage_case_sections()]
    case_rows = []
    for case in cases:
        outcome = getattr(case, "outcome", None)  # None when the case has no outcome
        case_rows.append(
            {
                "id": case.pk,
                "product": case.product.name,
                "team": case.team.name,
                "responsible_worker": _person(case.responsible_worker),
                "status": case.get_status_display(),
                "referral_source": case.get_referral_source_display(),
                "referral_source_detail": case.referral_source_detail,
                "question": case.question,
                "life_domains": [_choice_label(LifeDomain.choices, d) for d in case.life_domains],
                "is_caregiver": case.is_caregiver,
                "caregiver_overburdened": case.caregiver_overburdened,
                "confirmed_criteria": case.confirmed_criteria,
                "registered_on": case.registered_on,
                "waiting_since": case.waiting_since,
                "closed_on": case.closed_on,
                "status_history": [
                    {
                        "from": change.get_from_status_display(),
                        "to": change.get_to_status_display(),
                        "at": change.changed_at,
                        "by": _person(change.changed_by),
                        "note": change.note,
                    }
                    for change in case.status_changes.all()
                ],
                "contacts": [
                    {
                        "date": contact.date,
                        "kind": contact.get_kind_display(),
                        "summary": contact.summary,
                        "by": _person(contact.created_by),
                    }
                    for contact in case.contacts.all()
                ],
                "referrals": [
                    {
                        "date": referral.date,
                        "partner": referral.get_partner_display(),
                        "partner_detail": referral.partner_detail,
                        "data_shared": referral.data_shared,
                        "note": referral.note,
                        "by": _person(referral.created_by),
                    }
                    for referral in case.referrals.all()
                ],
                "outcome": None
                if outcome is None
                else {
                    "goal_reached": outcome.get_goal_reached_display(),
                    "can_continue_independently": outcome.can_continue_independently,
                    "referred_to": outcome.get_referred_to_display(),
                    "note": outcome.note,
                    "recorded_at": outcome.recorded_at,
                    "recorded_by": _person(outcome.recorded_by),
                },
                "scores": [
                    {
                        "instrument": score.get_instrument_display(),
                        "version": score.instrument_version,
                        "moment": score.get_moment_display(),
                        "domain": domain_label(score.instrument, score.domain),
                        "score": score.score,
                    }
                    for score in case.scores.all()
                ],
                "hours": hours_by_case.get(case.pk, []),
                "mediation_parties": [
                    {
                        "party": party.number,
                        "name": party.name,
                        "address": party.address,
                        "phone": party.phone,
                    }
                    for party in case.mediation_parties.all()
                ],
                "mediation_steps": [
                    {"step": step.get_step_display(), "date": step.date, "note": step.note}
                    for step in case.mediation_steps.all()
                ],
                "follow_ups": [
                    {
                        "kind": follow_up.get_kind_display(),
                        "due_on": follow_up.due_on,
                        "description": follow_up.description,
                        "done_on": follow_up.done_on,
                    }
                    for follow_up in case.follow_ups.all()
                ],
            }
        )
        for key, rows_by_case in sections:
            case_rows[-1][key] = rows_by_case.get(case.pk, [])
    return {
        "client_id": client.pk,
        "anonymised_at": client.anonymised_at,
        "personal_data": personal_data,
        "household": household,
        "consents": consents,
        "cases": case_rows,
        "access_log": _access_log(client, [row["id"] for row in case_rows]),
        "change_history": _change_history(client),
    }


def _access_log(client: Client, case_ids: list[int]) -> list[dict]:
    """Who viewed, exported or printed the client's record or one of their cases, when."""
    client_type = ContentType.objects.get_for_model(Client)
    case_type = ContentType.objects.get_for_model(Case)
    accesses = (
        PersonalDataAccess.objects.filter(
            Q(subject_type=client_type, subject_id=str(client.pk))
            | Q(subject_type=case_type, subject_id__in=[str(pk) for pk in case_ids])
        )
        .select_related("user")
        .order_by("-accessed_at", "-id")
    )
    return [
        {
            "at": access.accessed_at,
            "user": _person(access.user),
            "role": access.user.role_label,
            "action": access.get_action_display(),
            "record": _("cliënt")
            if access.subject_type_id == client_type.pk
            else _("traject %(id)s") % {"id": access.subject_id},
        }
        for access in accesses
    ]


def _change_history(client: Client) -> list[dict]:
    """What changed in the client's own record, as the client reads it
    (`meerwaarde.audit.presenters`)."""
    entries = (
        LogEntry.objects.get_for_object(client)
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )
    return readable_history(entries)
