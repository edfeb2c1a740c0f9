"""Clients: finding possible duplicates, and correcting personal data."""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils.translation import gettext as _

from cases.models import Client, Household, normalise_postcode
from cases.rules import team_ids
from catalogue.models import normalise_for_search
from meerwaarde.audit.services import log_personal_data_access
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm

# Two spellings of one name: "Samira"/"Samirah", "Jansen"/"Janssen"; not "Jansen"/"Hansen".
NAME_SIMILARITY = 0.85
# Left out of a surname before comparing: typed in the tussenvoegsel field or in front of
# the surname, "de Vries" and "Vries" (tussenvoegsel "de") are the same surname.
TUSSENVOEGSELS = frozenset(
    ("van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "bij",
     "uit", "onder", "over", "voor", "von", "vom", "zu", "da", "di", "du", "des", "del",
     "della", "la", "le", "el", "al")
)  # fmt: skip


@dataclass(frozen=True)
class PossibleDuplicate:
    client: Client
    reason: str


@dataclass(frozen=True)
class DuplicateCheck:
    """What the worker is told: the matching clients their own teams work with (by name,
    they may open those anyway), and only whether another team may know the person —
    no team, no name, no number."""

    own: list[PossibleDuplicate] = dataclass_field(default_factory=list)
    known_elsewhere: bool = False

    def __bool__(self) -> bool:
        return bool(self.own) or self.known_elsewhere


def _name_key(text: str) -> str:
    return "".join(char for char in normalise_for_search(text) if char.isalnum())


def _surname_key(prefix: str, last_name: str) -> str:
    words = normalise_for_search(f"{prefix} {last_name}").replace("-", " ").split()
    while len(words) > 1 and words[0] in TUSSENVOEGSELS:
        words = words[1:]
    return _name_key(" ".join(words))


def _similar(typed: str, known: str) -> bool:
    return bool(typed and known) and (
        typed == known or SequenceMatcher(None, typed, known).ratio() >= NAME_SIMILARITY
    )


def find_possible_duplicates(
    *,
    user,
    first_name: str = "",
    last_name_prefix: str = "",
    last_name: str = "",
    birth_date: datetime.date | None = None,
    postcode: str = "",
    house_number: int | None = None,
    limit: int = 10,
) -> DuplicateCheck:
    """A client who is probably the person being registered: the same birth date and the
    same first name and surname, or the same postcode, house number and surname (names
    compared without case, accents or tussenvoegsel, allowing a typo). Less than that says
    nothing, so the check cannot be used to look up who lives somewhere or who was born
    when. Every match is written to the access log. Nothing is merged."""
    surname = _surname_key(last_name_prefix, last_name)
    given_name = _name_key(first_name)
    postcode = normalise_postcode(postcode)
    conditions = Q()
    if birth_date and given_name:
        conditions |= Q(birth_date=birth_date)
    if postcode and house_number:
        conditions |= Q(postcode=postcode, house_number=house_number)
    if not surname or not conditions:
        return DuplicateCheck()
    own_teams = team_ids(user)
    candidates = (
        Client.objects.filter(conditions, anonymised_at__isnull=True)
        .prefetch_related("cases")
        .order_by("last_name", "pk")[:200]
    )
    own: list[PossibleDuplicate] = []
    known_elsewhere = False
    for client in candidates:
        if not _similar(surname, _surname_key(client.last_name_prefix, client.last_name)):
            continue
        if (
            birth_date
            and client.birth_date == birth_date
            and _similar(given_name, _name_key(client.first_name))
        ):
            reason = _("zelfde naam en geboortedatum")
        elif (
            postcode
            and house_number
            and (client.postcode, client.house_number)
            == (
                postcode,
                house_number,
            )
        ):
            reason = _("zelfde achternaam, postcode en huisnummer")
        else:
            continue
        log_personal_data_access(user=user, subject=client)
        if client.team_id in own_teams or any(c.team_id in own_teams for c in client.cases.all()):
            own.append(PossibleDuplicate(client=client, reason=reason))
        else:
            known_elsewhere = True
        if len(own) >= limit:
            break
    return DuplicateCheck(own=own, known_elsewhere=known_elsewhere)


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
    """Correction of personal data (AVG 'correctie'); audited by the change history.
    `changed_by` needs cases.change_client on the client."""
    require_perm(changed_by, "cases.change_client", client)
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
    old_kern_id = locked.kern_id
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
    if locked.kern_id != old_kern_id:
        _record_kern_move(locked)
    return locked


def _record_kern_move(client: Client) -> None:
    """Everything counted under the client's kern (their cases, referrals, matches) moves
    with them: every month since their first case. (A match may outlast its case, so the
    span runs to today.)"""
    first = client.cases.aggregate(first=Min("registered_on"))["first"]
    record_change(source=Client, spans=[(first, None)])


@transaction.atomic
def link_household(*, client: Client, other: Client, linked_by) -> Client:
    """Puts two clients in one household (creating it when neither has one). `linked_by`
    needs cases.change_client on both."""
    require_perm(linked_by, "cases.change_client", client)
    require_perm(linked_by, "cases.change_client", other)
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
    require_perm(changed_by, "cases.change_client", client)
    if client.household_id is None:
        raise ValidationError(_("Deze cliënt hoort niet bij een huishouden."))
    household = client.household
    client.household = None
    client.save(update_fields=["household", "updated_at"])
    if not household.members.exists():
        household.delete()
    return client
