"""Clients: finding possible duplicates, and correcting personal data."""

import datetime
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Client, Household, normalise_postcode
from cases.rules import team_ids
from catalogue.models import normalise_for_search

NAME_SIMILARITY = 0.75


@dataclass(frozen=True)
class PossibleDuplicate:
    client: Client
    reason: str
    visible: bool  # False: another team's client; show no personal data


def find_possible_duplicates(
    *,
    user,
    first_name: str = "",
    last_name: str = "",
    birth_date: datetime.date | None = None,
    postcode: str = "",
    house_number: int | None = None,
    limit: int = 10,
) -> list[PossibleDuplicate]:
    """Same birth date with a similar name, or the same postcode and house number.
    Another team's client is reported without its personal data. Nothing is merged."""
    conditions = Q()
    if birth_date:
        conditions |= Q(birth_date=birth_date)
    postcode = normalise_postcode(postcode)
    if postcode and house_number:
        conditions |= Q(postcode=postcode, house_number=house_number)
    if not conditions:
        return []
    wanted_name = normalise_for_search(f"{first_name} {last_name}")
    own_teams = team_ids(user)
    candidates = (
        Client.objects.filter(conditions)
        .select_related("team")
        .prefetch_related("cases")
        .order_by("last_name")[:200]
    )
    duplicates: list[PossibleDuplicate] = []
    for client in candidates:
        same_address = bool(postcode and house_number) and (
            client.postcode == postcode and client.house_number == house_number
        )
        similar_name = bool(wanted_name.strip()) and (
            SequenceMatcher(None, wanted_name, client.search_name).ratio() >= NAME_SIMILARITY
            or normalise_for_search(last_name) == normalise_for_search(client.last_name)
        )
        if birth_date and client.birth_date == birth_date and similar_name:
            reason = _("zelfde geboortedatum en een gelijkende naam")
        elif same_address:
            reason = _("zelfde postcode en huisnummer")
        else:
            continue
        visible = client.team_id in own_teams or any(
            c.team_id in own_teams for c in client.cases.all()
        )
        duplicates.append(PossibleDuplicate(client=client, reason=reason, visible=visible))
        if len(duplicates) >= limit:
            break
    return duplicates


CLIENT_FIELDS = (
    "first_name",
    "last_name_prefix",
    "last_name",
    "birth_date",
    "gender",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "lives_in_haarlemmermeer",
    "kern",
    "wijk",
    "phone",
    "email",
    "language_needs",
)


def _kern_from_postcode(client: Client) -> None:
    from catalogue.models import Area, AreaKind

    if client.kern_id or not client.pc4:
        return
    for kern in Area.objects.filter(kind=AreaKind.KERN, is_active=True).exclude(postcodes=[]):
        if client.pc4 in kern.postcodes:
            client.kern = kern
            return


def build_client(*, data: dict, team, created_by) -> Client:
    client = Client(
        team=team, created_by=created_by, **{k: data.get(k) for k in CLIENT_FIELDS if k in data}
    )
    for field in (
        "last_name_prefix",
        "gender",
        "street",
        "house_number_addition",
        "postcode",
        "city",
        "phone",
        "email",
        "language_needs",
    ):
        if getattr(client, field) is None:
            setattr(client, field, "")
    client.postcode = normalise_postcode(client.postcode)
    client.pc4 = client.postcode[:4]
    _kern_from_postcode(client)
    client.full_clean(exclude=["search_name", "created_by", "team"])
    return client


@transaction.atomic
def update_client(
    *, client: Client, data: dict, changed_by, expected_version: int | None = None
) -> Client:
    """Correction of personal data (AVG 'correctie'); audited by the change history."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.anonymised_at is not None:
        raise ValidationError(
            _("Deze cliënt is geanonimiseerd; de gegevens kunnen niet meer worden gewijzigd.")
        )
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _(
                "Iemand anders heeft deze cliënt intussen gewijzigd. Laad de pagina opnieuw en "
                "voer uw wijziging nog eens in."
            )
        )
    for field in CLIENT_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    locked.postcode = normalise_postcode(locked.postcode)
    locked.pc4 = locked.postcode[:4]
    if "kern" in data and data["kern"] is None:
        _kern_from_postcode(locked)
    locked.full_clean(exclude=["search_name", "created_by"])
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def link_household(*, client: Client, other: Client, linked_by) -> Client:
    """Puts two clients in one household (creating it when neither has one)."""
    if client.pk == other.pk:
        raise ValidationError(_("Kies een andere cliënt dan deze."))
    if client.household_id and other.household_id and client.household_id != other.household_id:
        raise ValidationError(
            _("Beide cliënten horen al bij een ander huishouden. Haal er eerst één uit.")
        )
    household = client.household or other.household
    if household is None:
        household = Household.objects.create(
            name=_("Huishouden %(name)s") % {"name": client.last_name}, team=client.team
        )
    for member in (client, other):
        if member.household_id != household.pk:
            member.household = household
            member.save(update_fields=["household", "updated_at"])
    return client


@transaction.atomic
def leave_household(*, client: Client, changed_by) -> Client:
    if client.household_id is None:
        raise ValidationError(_("Deze cliënt hoort niet bij een huishouden."))
    household = client.household
    client.household = None
    client.save(update_fields=["household", "updated_at"])
    if not household.members.exists():
        household.delete()
    return client
