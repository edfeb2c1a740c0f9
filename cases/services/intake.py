"""Registering an aanmelding/intake: client (new or existing), consent and case, in one
transaction."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.choices import CaseStatus, ConsentPurpose, LifeDomain, ReferralSource
from cases.models import Case, CaseStatusChange, Client
from cases.rules import team_ids
from cases.selectors import clients_visible_to
from catalogue.eligibility import Person, check_eligibility
from catalogue.models import Product
from meerwaarde.accounts.models import Team
from meerwaarde.dates import validate_registration_date
from meerwaarde.form_guards import too_long_message
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm
from meerwaarde.text_limits import NOTE_LENGTH

from .clients import build_client
from .consent import apply_consent, has_consent


@dataclass
class IntakeData:
    product: Product
    referral_source: str
    question: str
    team: Team
    responsible_worker: object
    referral_source_detail: str = ""
    life_domains: list[str] = field(default_factory=list)
    is_caregiver: bool = False
    caregiver_overburdened: bool = False
    confirmed_criteria: list[str] = field(default_factory=list)
    start_status: str = CaseStatus.REGISTERED
    registered_on: datetime.date | None = None


def criteria_to_confirm(*, product: Product, client_like) -> list[str]:
    """The checklist the worker confirms: the product's judgement criteria plus the facts
    the eligibility rules could not decide."""
    result = check_eligibility(
        product,
        Person(
            birth_date=client_like.birth_date,
            lives_in_haarlemmermeer=client_like.lives_in_haarlemmermeer,
        ),
        reference_date=datetime.date.today(),
    )
    return [*result.to_check, *result.judgement_criteria]


def _validate(*, data: IntakeData, client: Client, registered_by) -> None:
    errors: dict[str, list[str]] = {}
    if not data.product.is_active:
        errors.setdefault("product", []).append(_("Dit product wordt niet meer aangeboden."))
    else:
        result = check_eligibility(
            data.product,
            Person(
                birth_date=client.birth_date, lives_in_haarlemmermeer=client.lives_in_haarlemmermeer
            ),
            reference_date=datetime.date.today(),
        )
        if not result.fits:
            errors.setdefault("product", []).append(
                _("%(product)s past niet bij deze cliënt: %(reasons)s")
                % {"product": data.product.name, "reasons": " ".join(result.reasons)}
            )
        missing = [
            c
            for c in criteria_to_confirm(product=data.product, client_like=client)
            if c not in data.confirmed_criteria
        ]
        if missing and "product" not in errors:
            errors.setdefault("confirmed_criteria", []).append(
                _(
                    "Bevestig alle criteria van het product, of kies een ander product. "
                    "Nog niet bevestigd: %(missing)s"
                )
                % {"missing": "; ".join(missing)}
            )
    if data.referral_source not in ReferralSource.values:
        errors.setdefault("referral_source", []).append(_("Kies een verwijzer uit de lijst."))
    if not data.question.strip():
        errors.setdefault("question", []).append(_("Beschrijf de hulpvraag."))
    elif message := too_long_message(data.question.strip(), NOTE_LENGTH):
        errors.setdefault("question", []).append(message)
    unknown_domains = set(data.life_domains) - set(LifeDomain.values)
    if unknown_domains:
        errors.setdefault("life_domains", []).append(_("Onbekend leefgebied."))
    if data.caregiver_overburdened and not data.is_caregiver:
        errors.setdefault("caregiver_overburdened", []).append(
            _("Alleen een mantelzorger kan overbelast zijn.")
        )
    if data.team.pk not in team_ids(registered_by):
        errors.setdefault("team", []).append(_("U kunt alleen registreren voor uw eigen team."))
    elif not data.responsible_worker.teams.filter(pk=data.team.pk).exists():
        errors.setdefault("responsible_worker", []).append(
            _("De verantwoordelijke sociaal werker hoort niet bij dit team.")
        )
    if data.start_status not in (CaseStatus.REGISTERED, CaseStatus.INTAKE):
        errors.setdefault("start_status", []).append(
            _("Een nieuw traject begint als aangemeld of in intake.")
        )
    if data.registered_on:
        try:
            validate_registration_date(data.registered_on)
        except ValidationError as error:
            errors.setdefault("registered_on", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_intake(
    *,
    registered_by,
    data: IntakeData,
    client: Client | None = None,
    new_client: dict | None = None,
    consents: dict[str, bool] | None = None,
) -> Case:
    """Creates the case — and the client when new — in one transaction.

    Registration consent is required: either given now or already on record.
    `registered_by` needs cases.register_intake."""
    require_perm(registered_by, "cases.register_intake")
    consents = consents or {}
    if (client is None) == (new_client is None):
        raise ValidationError(_("Kies een bestaande cliënt of vul een nieuwe cliënt in."))
    if client is not None:
        if not clients_visible_to(registered_by).filter(pk=client.pk).exists():
            raise ValidationError({"existing_client": _("Deze cliënt is niet gevonden.")})
    else:
        client = build_client(data=new_client, team=data.team, created_by=registered_by)
    _validate(data=data, client=client, registered_by=registered_by)
    already_consented = client.pk is not None and has_consent(
        client=client, purpose=ConsentPurpose.REGISTRATION
    )
    if not already_consented and not consents.get(ConsentPurpose.REGISTRATION):
        raise ValidationError(
            {
                "consent_registration": _(
                    "Zonder toestemming voor registratie kan de aanmelding niet worden opgeslagen."
                )
            }
        )
    if client.pk is None:
        client.save()
    for purpose, given in consents.items():
        if given and not has_consent(client=client, purpose=purpose):
            apply_consent(client=client, purpose=purpose, given=True, recorded_by=registered_by)
    case = Case.objects.create(
        client=client,
        product=data.product,
        team=data.team,
        responsible_worker=data.responsible_worker,
        status=data.start_status,
        referral_source=data.referral_source,
        referral_source_detail=data.referral_source_detail,
        question=data.question.strip(),
        life_domains=list(data.life_domains),
        is_caregiver=data.is_caregiver,
        caregiver_overburdened=data.caregiver_overburdened,
        confirmed_criteria=list(data.confirmed_criteria),
        registered_on=data.registered_on or datetime.date.today(),
        created_by=registered_by,
    )
    record_change(source=Case, spans=[(case.registered_on, case.closed_on)])
    CaseStatusChange.objects.create(
        case=case,
        from_status="",
        to_status=case.status,
        changed_by=registered_by,
        note=_("Aanmelding geregistreerd"),
    )
    return case
