"""The volunteer registry for coordinators: who may see which volunteer, the list, and
creating, editing and training volunteers. Every write validates everything at once and
saves nothing on invalid input."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import postcode_validator
from cases.rules import coordinated_product_ids
from catalogue.models import Area, AreaKind, Product, normalise_for_search
from meerwaarde.form_guards import too_long_message
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm
from meerwaarde.text_limits import SHORT_TEXT_LENGTH

from ..models import (
    OCCUPYING_MATCH_STATUSES,
    Availability,
    DayPart,
    ScreeningRule,
    TrainingType,
    Volunteer,
    VolunteerHours,
    VolunteerStatus,
    VolunteerTraining,
    Weekday,
)

MAX_MATCHES_LIMIT = 20
OLDEST_AGE = 110
YOUNGEST_AGE = 12
EXPIRY_WARNING_DAYS = 60

TEXT_LIMITS = {
    "first_name": 100,
    "last_name_prefix": 20,
    "last_name": 100,
    "phone": 30,
}
LANGUAGES_LENGTH = 300


# Reads -------------------------------------------------------------------------------


def volunteers_visible_to(user) -> QuerySet[Volunteer]:
    """Volunteers of the products the coordinator coordinates, plus volunteers who do not
    work for any product yet (every coordinator may pick those up)."""
    if not user.has_perm("volunteers.use_volunteer_pages"):
        return Volunteer.objects.none()
    links = Volunteer.products.through.objects.filter(volunteer_id=OuterRef("pk"))
    return Volunteer.objects.filter(
        Exists(links.filter(product_id__in=coordinated_product_ids(user))) | ~Exists(links)
    )


def with_occupied(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Annotates `occupied`: matches that take one of the volunteer's places."""
    return volunteers.annotate(
        occupied=Count(
            "matches", filter=Q(matches__status__in=OCCUPYING_MATCH_STATUSES), distinct=True
        )
    )


def registry_list(
    user,
    *,
    status: str = "",
    product: Product | None = None,
    name: str = "",
    without_match: bool = False,
) -> QuerySet[Volunteer]:
    """The coordinator's volunteers, filtered, with `occupied` annotated and products
    prefetched, so the list costs the same number of queries for any number of rows."""
    volunteers = volunteers_visible_to(user)
    if status:
        volunteers = volunteers.filter(status=status)
    if product is not None:
        volunteers = volunteers.filter(
            Exists(
                Volunteer.products.through.objects.filter(
                    volunteer_id=OuterRef("pk"), product_id=product.pk
                )
            )
        )
    search = normalise_for_search(name or "").strip()
    if search:
        volunteers = volunteers.filter(search_name__contains=search)
    volunteers = with_occupied(volunteers)
    if without_match:
        volunteers = volunteers.filter(status=VolunteerStatus.ACTIVE, occupied=0)
    return volunteers.prefetch_related("products").order_by("last_name", "first_name", "pk")


def coordinator_products(user) -> QuerySet[Product]:
    return Product.objects.filter(pk__in=coordinated_product_ids(user)).order_by("name")


@dataclass(frozen=True)
class Expiry:
    volunteer: Volunteer
    what: str
    expires_on: datetime.date
    expired: bool


def expiring_for(user, *, today: datetime.date | None = None) -> list[Expiry]:
    """Active volunteers of the coordinator's products whose VOG (per the product's
    screening rule) or a training with a limited validity expires within 60 days or has
    expired. One query per screening rule and per training type, never per volunteer."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    product_ids = coordinated_product_ids(user)
    active = Volunteer.objects.filter(
        status=VolunteerStatus.ACTIVE,
        products__in=product_ids,
    ).distinct()
    found: dict[tuple[int, str], Expiry] = {}

    rules = ScreeningRule.objects.filter(product_id__in=product_ids, vog_required=True)
    for rule in rules.select_related("product").order_by("vog_max_age_months"):
        months = relativedelta(months=rule.vog_max_age_months)
        volunteers = Volunteer.objects.filter(
            status=VolunteerStatus.ACTIVE,
            products=rule.product,
            vog_date__isnull=False,
            vog_date__lte=horizon - months,
        )
        for volunteer in volunteers:
            expires_on = volunteer.vog_date + months
            key = (volunteer.pk, "vog")
            # The strictest rule among the volunteer's products decides.
            if key not in found or expires_on < found[key].expires_on:
                found[key] = Expiry(volunteer, _("VOG"), expires_on, expires_on <= today)

    for training in TrainingType.objects.filter(valid_for_months__isnull=False):
        months = relativedelta(months=training.valid_for_months)
        latest = (
            VolunteerTraining.objects.filter(training=training, volunteer__in=active)
            .values("volunteer_id")
            .annotate(last=Max("completed_on"))
            .filter(last__lte=horizon - months)
        )
        last_by_volunteer = {row["volunteer_id"]: row["last"] for row in latest}
        for volunteer in Volunteer.objects.filter(pk__in=last_by_volunteer):
            expires_on = last_by_volunteer[volunteer.pk] + months
            found[(volunteer.pk, f"training-{training.pk}")] = Expiry(
                volunteer,
                _("Training '%(training)s'") % {"training": training.name},
                expires_on,
                expires_on <= today,
            )
    return sorted(found.values(), key=lambda e: (e.expires_on, e.volunteer.full_name))


# Writes ------------------------------------------------------------------------------


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _clean_slots(availability, errors) -> set[tuple[int, str]]:
    slots = set()
    for weekday, day_part in availability or ():
        try:
            weekday = int(weekday)
        except (TypeError, ValueError):
            weekday = -1
        if weekday not in Weekday.values or day_part not in DayPart.values:
            _add(errors, "availability", _("Kies dagdelen uit het rooster."))
            continue
        slots.add((weekday, day_part))
    return slots


def _validate(*, data: dict, availability, user, volunteer: Volunteer | None) -> tuple[dict, set]:
    """Checks all volunteer data at once; returns the cleaned data and availability."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    clean = {}

    for field in ("first_name", "last_name_prefix", "last_name", "phone"):
        value = (data.get(field) or "").strip()
        if len(value) > TEXT_LIMITS[field]:
            _add(
                errors,
                field,
                _("Gebruik hooguit %(max)s tekens.") % {"max": TEXT_LIMITS[field]},
            )
        clean[field] = value
    if not clean["first_name"]:
        _add(errors, "first_name", _("Vul de voornaam in."))
    if not clean["last_name"]:
        _add(errors, "last_name", _("Vul de achternaam in."))

    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(
                errors, "email", _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
            )
    clean["email"] = email

    postcode = (data.get("postcode") or "").strip().upper().replace(" ", "")
    if postcode:
        try:
            postcode_validator(postcode)
        except ValidationError:
            _add(errors, "postcode", _("Vul een postcode in als 2131 AB."))
    clean["postcode"] = postcode

    birth_date = data.get("birth_date")
    if birth_date is not None:
        if birth_date > today - relativedelta(years=YOUNGEST_AGE):
            _add(
                errors,
                "birth_date",
                _("Een vrijwilliger is minstens %(age)s jaar oud; controleer de geboortedatum.")
                % {"age": YOUNGEST_AGE},
            )
        elif birth_date < today - relativedelta(years=OLDEST_AGE):
            _add(
                errors,
                "birth_date",
                _("Vul een geboortedatum in de afgelopen %(age)s jaar in.") % {"age": OLDEST_AGE},
            )
    clean["birth_date"] = birth_date

    vog_date = data.get("vog_date")
    if vog_date is not None and vog_date > today:
        _add(errors, "vog_date", _("De datum van de VOG kan niet in de toekomst liggen."))
    clean["vog_date"] = vog_date

    status = data.get("status") or ""
    if status not in VolunteerStatus.values:
        _add(errors, "status", _("Kies een status uit de lijst."))
    clean["status"] = status

    max_matches = data.get("max_matches")
    if max_matches is None or not 1 <= int(max_matches) <= MAX_MATCHES_LIMIT:
        _add(
            errors,
            "max_matches",
            _("Vul een aantal koppelingen van 1 tot en met %(max)s in.")
            % {"max": MAX_MATCHES_LIMIT},
        )
    else:
        clean["max_matches"] = int(max_matches)

    kern = data.get("kern")
    if kern is not None and kern.kind != AreaKind.KERN:
        _add(errors, "kern", _("Kies een kern uit de lijst."))
    clean["kern"] = kern
    kernen = list(data.get("kernen_served") or [])
    if any(area.kind != AreaKind.KERN for area in kernen):
        _add(errors, "kernen_served", _("Kies kernen uit de lijst."))
    clean["kernen_served"] = kernen

    own = coordinated_product_ids(user)
    chosen = list(data.get("products") or [])
    if any(product.pk not in own for product in chosen):
        _add(errors, "products", _("U kunt alleen producten kiezen die u zelf coördineert."))
    # Products coordinated by someone else stay as they are.
    kept = [] if volunteer is None else [p for p in volunteer.products.all() if p.pk not in own]
    if not chosen and not kept:
        _add(errors, "products", _("Kies minstens één product waarvoor de vrijwilliger werkt."))
    clean["products"] = [*chosen, *kept]

    languages = data.get("languages") or []
    if isinstance(languages, str):
        languages = languages.split(",")
    clean["languages"] = list(dict.fromkeys(lang.strip() for lang in languages if lang.strip()))
    message = too_long_message(", ".join(clean["languages"]), LANGUAGES_LENGTH)
    if message:
        _add(errors, "languages", message)
    for field in ("skills", "wishes"):
        clean[field] = (data.get(field) or "").strip()
        message = too_long_message(clean[field], SHORT_TEXT_LENGTH)
        if message:
            _add(errors, field, message)

    slots = _clean_slots(availability, errors)
    if errors:
        raise ValidationError(errors)
    return clean, slots


def _save(volunteer: Volunteer, clean: dict, slots: set) -> None:
    many = {key: clean.pop(key) for key in ("products", "kernen_served")}
    for field, value in clean.items():
        setattr(volunteer, field, value)
    volunteer.save()
    volunteer.products.set(many["products"])
    volunteer.kernen_served.set(many["kernen_served"])
    volunteer.availability.all().delete()
    Availability.objects.bulk_create(
        Availability(volunteer=volunteer, weekday=weekday, day_part=day_part)
        for weekday, day_part in sorted(slots)
    )


@transaction.atomic
def create_volunteer(*, data: dict, availability, created_by) -> Volunteer:
    """Registers a volunteer. `data` holds the person's data, status, products (Product
    objects), kernen_served (Areas), max_matches, languages (list or comma separated
    text), skills, wishes and vog_date; `availability` is a set of (weekday, day part)."""
    require_perm(created_by, "volunteers.use_volunteer_pages")
    clean, slots = _validate(data=data, availability=availability, user=created_by, volunteer=None)
    volunteer = Volunteer(created_by=created_by)
    _save(volunteer, clean, slots)
    return volunteer


@transaction.atomic
def update_volunteer(
    *, volunteer: Volunteer, data: dict, availability, changed_by, expected_version: int
) -> Volunteer:
    """Changes a volunteer, unless someone else saved it since the form was opened."""
    require_perm(changed_by, "volunteers.change_volunteer", volunteer)
    current = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if current.version != expected_version:
        raise ValidationError(
            _(
                "Iemand anders heeft deze vrijwilliger intussen gewijzigd. Open de gegevens "
                "opnieuw en voer uw wijziging nog eens in; er is niets opgeslagen."
            )
        )
    clean, slots = _validate(
        data=data, availability=availability, user=changed_by, volunteer=current
    )
    old_kern_id = current.kern_id
    current.version += 1
    _save(current, clean, slots)
    if current.kern_id != old_kern_id:
        # Active volunteers are counted under their own kern: every month they booked hours.
        span = VolunteerHours.objects.filter(volunteer=current).aggregate(
            first=Min("date"), last=Max("date")
        )
        record_change(source=Volunteer, spans=[(span["first"], span["last"])])
    return current


@transaction.atomic
def add_training(
    *, volunteer: Volunteer, training: TrainingType, completed_on: datetime.date, added_by
) -> VolunteerTraining:
    """Records a completed training."""
    require_perm(added_by, "volunteers.change_volunteer", volunteer)
    errors: dict[str, list[str]] = {}
    if training is None:
        _add(errors, "training", _("Kies een training."))
    if completed_on is None:
        _add(errors, "completed_on", _("Vul de datum in waarop de training is afgerond."))
    elif completed_on > timezone.localdate():
        _add(errors, "completed_on", _("Een afgeronde training kan niet in de toekomst liggen."))
    if errors:
        raise ValidationError(errors)
    return VolunteerTraining.objects.create(
        volunteer=volunteer, training=training, completed_on=completed_on
    )


def kern_choices() -> QuerySet[Area]:
    return Area.objects.filter(kind=AreaKind.KERN, is_active=True).order_by("name")
