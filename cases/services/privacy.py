"""Data-subject rights (AVG) and retention: inzage, verwijdering (anonymisation) and the
retention job. Correctie is the normal client edit (`clients.update_client`), audited by
the change history.

Anonymisation removes a client's identity and keeps the facts reports are made of:

- Identity gone: names, street, house number, postcode, pc4, woonplaats, wijk, phone,
  e-mail, language needs, household, the old system's reference. The birth date becomes
  1 January of the birth year (the field is required, and age groups in reports stay
  right); gender, "woont in Haarlemmermeer", kern and team stay (aggregate facts).
- Free text that may identify someone is cleared on every record of the client's cases
  (see `ANONYMISATION_PLAN`): the hulpvraag, contact reports, notes, mediation parties'
  names, addresses and phones, the match evaluations.
- Cases (product, dates, status), outcomes, scores, hours (date, hours, product, kern and
  the hours' own pc4 snapshot) and contacts (date, kind) stay, so counts and hours in
  reports do not change.
- The change history (django-auditlog `LogEntry`) of the client and of those records is
  rewritten: the old and new values of every cleared field become "[geanonimiseerd]"
  (the field names and timestamps stay, so the history still shows *that* something
  changed, and when, and by whom), the stored representation (which holds the name) is
  replaced, serialized snapshots and change texts are dropped. Keeping the old values
  would defeat the anonymisation; deleting the entries would hide who did what.
- The anonymisation itself is recorded: `Client.anonymised_at`/`anonymised_by` and a
  change-history entry with `additional_data = {"anonimisering": ...}`; who requested it
  through the app is in the access log (the confirmation page).
"""

import datetime
import logging
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import OPEN_STATUSES, LifeDomain, domain_label
from cases.models import Case, Client, HourRegistration
from cases.selectors import clients_visible_to
from meerwaarde.audit.models import PersonalDataAccess
from meerwaarde.audit.presenters import readable_history, readable_value
from meerwaarde.permissions import require_perm

logger = logging.getLogger(__name__)

REDACTED = "[geanonimiseerd]"
ANONYMISED_LAST_NAME = "Geanonimiseerde cliënt"

# Every field of Client is in exactly one of these two sets (a test walks the model).
CLIENT_FIELDS_CLEARED = frozenset(
    {
        "first_name",
        "last_name_prefix",
        "last_name",
        "birth_date",  # → 1 January of the birth year
        "street",
        "house_number",
        "house_number_addition",
        "postcode",
        "pc4",
        "city",
        "wijk",
        "phone",
        "email",
        "language_needs",
        "household",
        "external_reference",
        "search_name",
    }
)
CLIENT_FIELDS_KEPT = frozenset(
    {
        "id",
        "gender",
        "lives_in_haarlemmermeer",
        "kern",
        "team",
        "created_by",
        "created_at",
        "updated_at",
        "version",
        "anonymised_at",
        "anonymised_by",
    }
)


@dataclass(frozen=True)
class AnonymisedModel:
    """Records that belong to a client's file. `cleared`: text fields emptied on
    anonymisation; `kept`: the other text fields (codes, not free text). Non-text fields
    (dates, numbers, links) are facts and stay."""

    label: str
    client_path: str
    cleared: frozenset[str] = field(default_factory=frozenset)
    kept: frozenset[str] = field(default_factory=frozenset)
    # Not part of the client's file but a record of the same person elsewhere: only the
    # link to the client is cut (here and in its history), the record itself stays.
    unlink: bool = False


ANONYMISATION_PLAN: tuple[AnonymisedModel, ...] = (
    AnonymisedModel("cases.Consent", "client", kept=frozenset({"purpose", "text_version"})),
    AnonymisedModel(
        "cases.Case",
        "client",
        cleared=frozenset({"question", "referral_source_detail"}),
        kept=frozenset({"status", "referral_source", "life_domains", "confirmed_criteria"}),
    ),
    AnonymisedModel(
        "cases.CaseStatusChange",
        "case__client",
        cleared=frozenset({"note"}),
        kept=frozenset({"from_status", "to_status"}),
    ),
    AnonymisedModel(
        "cases.Contact", "case__client", cleared=frozenset({"summary"}), kept=frozenset({"kind"})
    ),
    AnonymisedModel(
        "cases.Referral",
        "case__client",
        cleared=frozenset({"partner_detail", "note"}),
        kept=frozenset({"partner"}),
    ),
    AnonymisedModel(
        "cases.CaseOutcome",
        "case__client",
        cleared=frozenset({"note"}),
        kept=frozenset({"goal_reached", "referred_to"}),
    ),
    AnonymisedModel(
        "cases.OutcomeScore",
        "case__client",
        kept=frozenset({"instrument", "instrument_version", "moment", "domain"}),
    ),
    AnonymisedModel(
        "cases.MediationParty", "case__client", cleared=frozenset({"name", "address", "phone"})
    ),
    AnonymisedModel(
        "cases.MediationStepRecord",
        "case__client",
        cleared=frozenset({"note"}),
        kept=frozenset({"step"}),
    ),
    AnonymisedModel(
        "cases.FollowUp",
        "case__client",
        cleared=frozenset({"description"}),
        kept=frozenset({"kind"}),
    ),
    AnonymisedModel(
        "cases.HourRegistration",
        "case__client",
        cleared=frozenset({"note", "client_reference"}),
        # pc4 of the hours is the snapshot reports are cut by; four digits are no address.
        kept=frozenset({"kind", "pc4"}),
    ),
    # Volunteers sit above cases: reached through the app registry, never imported.
    AnonymisedModel(
        "volunteers.Match",
        "case__client",
        cleared=frozenset({"end_reason", "evaluation_notes"}),
        kept=frozenset({"role", "status"}),
    ),
    AnonymisedModel(
        "volunteers.MatchStatusChange",
        "match__case__client",
        cleared=frozenset({"note"}),
        kept=frozenset({"from_status", "to_status"}),
    ),
    AnonymisedModel(
        "volunteers.VolunteerHours", "match__case__client", cleared=frozenset({"note"})
    ),
    # A client who is also a volunteer (wederkerigheid): the volunteer record is theirs as a
    # volunteer and follows the volunteers' own rules; the link would re-identify the client.
    AnonymisedModel("volunteers.Volunteer", "client", unlink=True),
)


def _planned_model(entry: AnonymisedModel) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.label)
    except LookupError:  # the app is not installed
        return None


# --- who may (the rules are cases.request_inzage and cases.anonymise_client) ---------------


def clients_open_to_data_subject_requests(user) -> QuerySet[Client]:
    """The functioneel beheerder handles requests for every client; a social worker for
    the clients of their teams (the same clients their client pages show)."""
    if user.has_perm("cases.handle_requests_for_every_client"):
        return Client.objects.all()
    if user.has_perm("cases.request_inzage"):
        return clients_visible_to(user)
    return Client.objects.none()


# --- inzage ----------------------------------------------------------------------------------


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
    matches_by_case = _matches_by_case(client)
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
                "matches": matches_by_case.get(case.pk, []),
            }
        )
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


def _matches_by_case(client: Client) -> dict[int, list[dict]]:
    """Matches of the client's cases; the volunteer by first name only (their own data)."""
    try:
        match_model = apps.get_model("volunteers", "Match")
    except LookupError:
        return {}
    result: dict[int, list[dict]] = {}
    for match in (
        match_model.objects.filter(case__client=client)
        .select_related("volunteer")
        .order_by("proposed_on", "id")
    ):
        result.setdefault(match.case_id, []).append(
            {
                "volunteer_first_name": match.volunteer.first_name,
                "role": match.get_role_display(),
                "status": match.get_status_display(),
                "proposed_on": match.proposed_on,
                "started_on": match.started_on,
                "ended_on": match.ended_on,
                "end_reason": match.end_reason,
                "evaluation_notes": match.evaluation_notes,
            }
        )
    return result


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


# --- verwijdering (anonymisation) -------------------------------------------------------------


def _open_case_refusal(client: Client) -> ValidationError | None:
    open_products = list(
        Case.objects.filter(client=client, status__in=OPEN_STATUSES)
        .order_by("product__name")
        .values_list("product__name", flat=True)
    )
    if not open_products:
        return None
    return ValidationError(
        _(
            "Deze cliënt heeft nog een open traject (%(products)s). Sluit of annuleer eerst "
            "alle trajecten; daarna kan de cliënt worden geanonimiseerd."
        )
        % {"products": ", ".join(open_products)}
    )


def anonymisation_refusal(*, client: Client) -> ValidationError | None:
    """Why this client cannot be anonymised now, or None."""
    if client.anonymised_at is not None:
        return ValidationError(_("Deze cliënt is al geanonimiseerd."))
    return _open_case_refusal(client)


@transaction.atomic
def anonymise_client(*, client: Client, anonymised_by, reason: str = "verzoek") -> Client:
    """AVG 'verwijdering': removes the client's identity and keeps the facts (see the
    module docstring for what goes and what stays, and what happens to the change
    history). Refused while any case is open. `anonymised_by` is None for the retention
    job (the system acts there, under the retention rule); a person needs
    cases.anonymise_client."""
    if anonymised_by is not None:
        require_perm(anonymised_by, "cases.anonymise_client", client)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    refusal = anonymisation_refusal(client=locked)
    if refusal is not None:
        raise refusal
    old_household = locked.household
    birth_year = locked.birth_date.year
    locked.first_name = ""
    locked.last_name_prefix = ""
    locked.last_name = ANONYMISED_LAST_NAME
    locked.birth_date = datetime.date(birth_year, 1, 1)
    for name in (
        "street",
        "house_number_addition",
        "postcode",
        "city",
        "phone",
        "email",
        "language_needs",
        "external_reference",
    ):
        setattr(locked, name, "")
    locked.house_number = None
    locked.wijk = None
    locked.household = None
    locked.anonymised_at = timezone.now()
    locked.anonymised_by = anonymised_by
    locked.version += 1
    locked.save()  # pc4 and search_name follow from postcode and name

    if old_household is not None and not old_household.members.exists():
        household_pk = old_household.pk
        old_household.delete()
        _scrub_log_entries(old_household.__class__, [household_pk], {"name"})

    for entry in ANONYMISATION_PLAN:
        model = _planned_model(entry)
        if model is None:
            continue
        rows = model.objects.filter(**{entry.client_path: locked})
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            continue
        if entry.unlink:
            rows.update(**{entry.client_path: None})
            _scrub_log_entries(model, pks, {entry.client_path})
            continue
        if entry.cleared:
            rows.update(**dict.fromkeys(entry.cleared, ""))
        _scrub_log_entries(model, pks, entry.cleared)
    _scrub_log_entries(Client, [locked.pk], CLIENT_FIELDS_CLEARED)
    _scrub_deleted_hours_entries(locked)
    _mark_anonymisation_entry(locked, reason=reason)
    logger.info(
        "Client %s anonymised (%s) by user %s",
        locked.pk,
        reason,
        anonymised_by.pk if anonymised_by else "-",
    )
    return locked


def _redact(value):
    if isinstance(value, list):
        return [REDACTED for _item in value]
    return REDACTED


def _scrub_log_entries(model: type[models.Model], pks: list, fields) -> int:
    """Overwrites the old and new values of `fields` in the change history of these rows,
    refreshes the stored representation (which may hold a name) and drops snapshots."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    current = {str(obj.pk): obj for obj in model.objects.filter(pk__in=pks)}
    entries = list(
        LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks])
    )
    return _rewrite_entries(entries, fields, current)


def _rewrite_entries(entries: list[LogEntry], fields, current: dict) -> int:
    for entry in entries:
        changes = dict(entry.changes or {}) if isinstance(entry.changes, dict) else {}
        for name in fields:
            if name in changes:
                changes[name] = _redact(changes[name])
        entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        instance = current.get(entry.object_pk)
        entry.object_repr = str(instance) if instance is not None else REDACTED
    LogEntry.objects.bulk_update(
        entries, ["changes", "changes_text", "serialized_data", "object_repr"], batch_size=500
    )
    return len(entries)


def _scrub_deleted_hours_entries(client: Client) -> None:
    """Hours deleted earlier (the week view allows it) are gone from the table but their
    history still holds the note and reference; found by the case they were booked on."""
    case_ids = [str(pk) for pk in Case.objects.filter(client=client).values_list("pk", flat=True)]
    if not case_ids:
        return
    content_type = ContentType.objects.get_for_model(HourRegistration)
    # Every entry (create, update, delete) that names one of the cases, old or new value.
    entries = list(
        LogEntry.objects.filter(content_type=content_type).filter(
            Q(changes__case__0__in=case_ids) | Q(changes__case__1__in=case_ids)
        )
    )
    current = {
        str(hours.pk): hours for hours in HourRegistration.objects.filter(case__client=client)
    }
    hours_plan = next(e for e in ANONYMISATION_PLAN if e.label == "cases.HourRegistration")
    _rewrite_entries(entries, hours_plan.cleared, current)


def _mark_anonymisation_entry(client: Client, *, reason: str) -> None:
    """The change-history entry of the anonymising save says what it was."""
    entry = (
        LogEntry.objects.get_for_object(client)
        .filter(action=LogEntry.Action.UPDATE)
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is not None:
        entry.additional_data = {"anonimisering": reason}
        entry.save(update_fields=["additional_data"])


# --- retention ---------------------------------------------------------------------------------


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def clients_due_for_retention(*, today: datetime.date | None = None) -> QuerySet[Client]:
    """Clients not yet anonymised, with cases that are all finished, whose last case
    closed longer ago than the longest retention period of the products of their cases.
    Clients without any case are not covered. One query, set-based."""
    today = today or timezone.localdate()
    open_case = Case.objects.filter(client=models.OuterRef("pk"), status__in=OPEN_STATUSES)
    candidates = (
        Client.objects.filter(anonymised_at__isnull=True, cases__isnull=False)
        .exclude(models.Exists(open_case))
        .annotate(
            retention_years=Max("cases__product__retention_years"),
            # Every finished case has closed_on; old imported rows fall back to their last change.
            last_closed_on=Max(Coalesce("cases__closed_on", TruncDate("cases__updated_at"))),
        )
    )
    retention_values = candidates.values_list("retention_years", flat=True).distinct()
    condition = Q(pk__in=[])
    for years in retention_values:
        condition |= Q(retention_years=years, last_closed_on__lt=_years_before(today, years))
    return candidates.filter(condition).order_by("pk")


@dataclass
class RetentionResult:
    client_ids: list[int]
    dry_run: bool
    refused: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.client_ids)


def apply_retention(*, today: datetime.date | None = None, dry_run: bool = False):
    """Anonymises every client past the retention period. Idempotent: anonymised clients
    are skipped, so a repeated or missed run does no harm. Each client in its own
    transaction; logs client ids only (never names)."""
    due = list(clients_due_for_retention(today=today).values_list("pk", flat=True))
    result = RetentionResult(client_ids=[], dry_run=dry_run)
    if dry_run:
        result.client_ids = due
        logger.info("Retention dry run: %d client(s) due for anonymisation", len(due))
        return result
    for client in Client.objects.filter(pk__in=due).order_by("pk"):
        try:
            anonymise_client(client=client, anonymised_by=None, reason="bewaartermijn")
        except ValidationError:
            # A case was reopened between the selection and the lock: next run decides.
            result.refused.append(client.pk)
            continue
        result.client_ids.append(client.pk)
    logger.info(
        "Retention: %d client(s) anonymised%s",
        result.count,
        f", {len(result.refused)} skipped" if result.refused else "",
    )
    return result
