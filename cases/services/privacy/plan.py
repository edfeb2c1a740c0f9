"""What anonymisation clears and keeps of a client, and who may handle a data-subject
request. Other apps' parts of a client's file come from `meerwaarde.audit.avg_registry`."""

from django.apps import apps
from django.db import models
from django.db.models import QuerySet

from cases.choices import OPEN_STATUSES
from cases.models import Case, Client
from cases.selectors import clients_visible_to
from meerwaarde.audit.avg_registry import AnonymisationPlan, AnonymisedModel

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


# Cases' own part of a client's file, registered in CasesConfig.ready().
CASES_ANONYMISATION_PLAN: tuple[AnonymisedModel, ...] = (
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
)

# Every app's part (cases' own above, and those of the apps above cases), read from the
# registry on each use.
ANONYMISATION_PLAN = AnonymisationPlan()


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


def open_case_blocks_retention() -> models.Exists:
    """A client with a case still open is not anonymised by the retention job."""
    return models.Exists(
        Case.objects.filter(client=models.OuterRef("pk"), status__in=OPEN_STATUSES)
    )
