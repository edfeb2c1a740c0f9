"""Consent (AVG) per client and purpose: recorded, withdrawn, never deleted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import CONSENT_TEXT_VERSION, ConsentPurpose
from cases.models import Client, Consent
from meerwaarde.permissions import require_perm


def active_consent(*, client: Client, purpose: str) -> Consent | None:
    """The latest answer for the purpose, if it is a yes that has not been withdrawn."""
    latest = client.consents.filter(purpose=purpose).order_by("-recorded_at", "-id").first()
    return latest if latest is not None and latest.is_active else None


def has_consent(*, client: Client, purpose: str) -> bool:
    return active_consent(client=client, purpose=purpose) is not None


def ensure_consent(*, client: Client, purpose: str, field: str | None = None) -> None:
    """Sharing actions call this first."""
    if not has_consent(client=client, purpose=purpose):
        message = _("De cliënt heeft geen toestemming gegeven voor: %(purpose)s.") % {
            "purpose": ConsentPurpose(purpose).label.lower()
        }
        raise ValidationError({field: message} if field else message)


def record_consent(*, client: Client, purpose: str, given: bool, recorded_by) -> Consent:
    """`recorded_by` needs cases.change_client on the client."""
    require_perm(recorded_by, "cases.change_client", client)
    return apply_consent(client=client, purpose=purpose, given=given, recorded_by=recorded_by)


@transaction.atomic
def apply_consent(*, client: Client, purpose: str, given: bool, recorded_by) -> Consent:
    """The consent record itself, for a service that has checked its own permission first
    (register_intake's cases.register_intake, on a client it may be creating)."""
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Onbekend doel voor toestemming."))
    return Consent.objects.create(
        client=client,
        purpose=purpose,
        given=given,
        text_version=CONSENT_TEXT_VERSION,
        recorded_by=recorded_by,
    )


@transaction.atomic
def withdraw_consent(*, consent: Consent, withdrawn_by) -> Consent:
    require_perm(withdrawn_by, "cases.change_client", consent.client)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not consent.is_active:
        raise ValidationError(_("Deze toestemming is niet (meer) van kracht."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = withdrawn_by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return consent
