"""Group work (groepsactiviteiten and their bijeenkomsten) and anonymous walk-in contacts
at PlusPunten and spreekuren: registrations that are not an individual case.

Writes validate everything first and save nothing on invalid input; the reads the
overview and activity pages need sit at the end, scoped to the user's teams."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import ContactTopic, Partner
from cases.hour_rules import closed_period_problem, note_problem
from cases.models import AnonymousContact, GroupActivity, GroupSession
from cases.rules import team_ids
from catalogue.models import Area, AreaKind, HourUnit, Location, Product
from meerwaarde.accounts.models import Team
from meerwaarde.dates import registration_date_window
from meerwaarde.outbox.services import record_change
from meerwaarde.permissions import require_perm

# Products counted per group, course, activity or meeting are the ones run as activities.
GROUP_WORK_UNITS = (
    HourUnit.PER_GROEP,
    HourUnit.PER_CURSUS,
    HourUnit.PER_ACTIVITEIT,
    HourUnit.PER_BIJEENKOMST,
)
WALK_IN_PRODUCT_SLUG = "spreekuur-in-de-wijk"
MAX_PARTICIPANTS = 10000
MAX_VOLUNTEERS = 1000
# A course may be planned ahead, but not years ahead by a typing error.
MAX_DAYS_AHEAD_FOR_START = 366


def group_work_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True, norm_unit__in=GROUP_WORK_UNITS)


def active_locations() -> QuerySet[Location]:
    return Location.objects.filter(is_active=True).select_related("area").order_by("name")


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


@transaction.atomic
def create_group_activity(
    *,
    product: Product,
    name: str,
    team: Team,
    location: Location | None = None,
    kern: Area | None = None,
    start_date: datetime.date,
    created_by,
) -> GroupActivity:
    """A new group, course or recurring activity of one of the user's teams."""
    require_perm(created_by, "cases.manage_group_activity")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    today = timezone.localdate()
    if not name:
        _add(errors, "name", _("Geef de activiteit een naam."))
    elif len(name) > 150:
        _add(errors, "name", _("Een naam is hooguit 150 tekens."))
    if not product.is_active:
        _add(errors, "product", _("Dit product wordt niet meer aangeboden."))
    elif product.norm_unit not in GROUP_WORK_UNITS:
        _add(
            errors,
            "product",
            _("Kies een product dat per groep, cursus, activiteit of bijeenkomst werkt."),
        )
    if team.pk not in team_ids(created_by) or not team.is_active:
        _add(errors, "team", _("Kies een van je eigen teams."))
    if location is not None and not location.is_active:
        _add(errors, "location", _("Deze locatie is niet (meer) in gebruik."))
    if kern is not None and (kern.kind != AreaKind.KERN or not kern.is_active):
        _add(errors, "kern", _("Kies een kern uit de lijst."))
    if start_date > today + datetime.timedelta(days=MAX_DAYS_AHEAD_FOR_START):
        _add(errors, "start_date", _("De startdatum ligt meer dan een jaar vooruit."))
    elif start_date < (window := registration_date_window(today)).earliest:
        _add(errors, "start_date", window.message_from)
    if (
        name
        and "team" not in errors
        and GroupActivity.objects.filter(team=team, name__iexact=name, is_active=True).exists()
    ):
        _add(errors, "name", _("Dit team heeft al een lopende activiteit met deze naam."))
    if errors:
        raise ValidationError(errors)
    return GroupActivity.objects.create(
        product=product,
        name=name,
        team=team,
        location=location,
        kern=kern if kern is not None else _kern_of(location),
        start_date=start_date,
        created_by=created_by,
    )


@transaction.atomic
def save_group_activity(*, activity: GroupActivity) -> GroupActivity:
    """Saves an activity as the functioneel beheerder edited it in /beheer/. Its sessions
    are counted under its product and kern, so every month with a session moves."""
    activity.save()
    record_change(source=GroupActivity, dates=list(activity.sessions.dates("date", "month")))
    return activity


def _kern_of(location: Location | None) -> Area | None:
    """The kern a location lies in, so activities can be counted per kern without asking."""
    if location is None:
        return None
    area = location.area
    return area if area.kind == AreaKind.KERN else area.parent


@transaction.atomic
def register_group_session(
    *,
    activity: GroupActivity,
    date: datetime.date,
    participants: int,
    new_participants: int = 0,
    volunteers: int = 0,
    note: str = "",
    created_by,
) -> GroupSession:
    """One bijeenkomst of an activity with its head count. No names: a group session
    counts people, it does not register them."""
    require_perm(created_by, "cases.register_group_session")
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    today = timezone.localdate()
    if activity.team_id not in team_ids(created_by):
        _add(errors, "__all__", _("Deze activiteit hoort niet bij een van je teams."))
    if not activity.is_active:
        _add(errors, "__all__", _("Deze activiteit is beëindigd."))
    if date not in (window := registration_date_window(today)):
        _add(errors, "date", window.message)
    elif date < activity.start_date:
        _add(
            errors,
            "date",
            _("De bijeenkomst ligt vóór de startdatum van de activiteit (%(start)s).")
            % {"start": activity.start_date.strftime("%d-%m-%Y")},
        )
    elif activity.end_date and date > activity.end_date:
        _add(
            errors,
            "date",
            _("De bijeenkomst ligt na de einddatum van de activiteit (%(end)s).")
            % {"end": activity.end_date.strftime("%d-%m-%Y")},
        )
    elif problem := closed_period_problem(date):
        _add(errors, "date", problem)
    if not 0 <= participants <= MAX_PARTICIPANTS:
        _add(
            errors,
            "participants",
            _("Het aantal deelnemers ligt tussen 0 en %(max)s.") % {"max": MAX_PARTICIPANTS},
        )
    if new_participants < 0:
        _add(errors, "new_participants", _("Het aantal nieuwe deelnemers is 0 of meer."))
    elif new_participants > participants:
        _add(
            errors,
            "new_participants",
            _("Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers."),
        )
    if not 0 <= volunteers <= MAX_VOLUNTEERS:
        _add(
            errors,
            "volunteers",
            _("Het aantal vrijwilligers ligt tussen 0 en %(max)s.") % {"max": MAX_VOLUNTEERS},
        )
    if problem := note_problem(note):
        _add(errors, "note", problem)
    if errors:
        raise ValidationError(errors)
    session = GroupSession.objects.create(
        activity=activity,
        date=date,
        participants=participants,
        new_participants=new_participants,
        volunteers=volunteers,
        note=note,
        created_by=created_by,
    )
    record_change(source=GroupSession, dates=[date])
    return session


@transaction.atomic
def register_anonymous_contact(
    *,
    date: datetime.date,
    location: Location,
    topic: str,
    referred_on: bool,
    referred_to: str = "",
    registered_by,
) -> AnonymousContact:
    """A walk-in question at a PlusPunt or spreekuur. Deliberately without any personal
    data: only when, where, about what, and whether the person was referred on."""
    require_perm(registered_by, "cases.register_anonymous_contact")
    errors: dict[str, list[str]] = {}
    referred_to = referred_to or ""
    if date not in (window := registration_date_window()):
        _add(errors, "date", window.message)
    elif problem := closed_period_problem(date):
        _add(errors, "date", problem)
    if not location.is_active:
        _add(errors, "location", _("Deze locatie is niet (meer) in gebruik."))
    if topic not in ContactTopic.values:
        _add(errors, "topic", _("Kies een onderwerp uit de lijst."))
    if referred_on and not referred_to:
        _add(errors, "referred_to", _("Kies naar wie is doorverwezen."))
    elif referred_on and referred_to not in Partner.values:
        _add(errors, "referred_to", _("Kies een partner uit de lijst."))
    elif not referred_on and referred_to:
        _add(
            errors,
            "referred_to",
            _("Laat 'doorverwezen naar' leeg als er niet is doorverwezen."),
        )
    product = Product.objects.filter(slug=WALK_IN_PRODUCT_SLUG).first()
    if product is None:
        _add(
            errors,
            "__all__",
            _("Het product 'Spreekuur in de wijk' ontbreekt in de catalogus."),
        )
    if errors:
        raise ValidationError(errors)
    contact = AnonymousContact.objects.create(
        date=date,
        location=location,
        product=product,
        topic=topic,
        referred_on=referred_on,
        referred_to=referred_to if referred_on else "",
        registered_by=registered_by,
    )
    record_change(source=AnonymousContact, dates=[date])
    return contact


# --- Reads for the pages -----------------------------------------------------------------


def activities_of_user_teams(user) -> QuerySet[GroupActivity]:
    """Activities of the user's teams; any other activity does not exist for them."""
    return GroupActivity.objects.filter(team_id__in=team_ids(user))


def activity_overview(user, *, year: int) -> QuerySet[GroupActivity]:
    """The user's teams' activities with this year's sessions and participants and the
    date of the last session — one query, however many activities and sessions."""
    in_year = Q(sessions__date__year=year)
    return (
        activities_of_user_teams(user)
        .select_related("product", "location", "kern", "team")
        .annotate(
            sessions_this_year=Count("sessions", filter=in_year),
            participants_this_year=Sum("sessions__participants", filter=in_year),
            last_session_on=Max("sessions__date"),
        )
        .order_by("-is_active", "name", "id")
    )


@dataclass
class SessionTotals:
    sessions: int = 0
    participants: int = 0
    new_participants: int = 0
    volunteers: int = 0


def sessions_with_totals(activity: GroupActivity) -> tuple[list[GroupSession], SessionTotals]:
    sessions = list(activity.sessions.order_by("-date", "-id"))
    totals = SessionTotals(
        sessions=len(sessions),
        participants=sum(s.participants for s in sessions),
        new_participants=sum(s.new_participants for s in sessions),
        volunteers=sum(s.volunteers for s in sessions),
    )
    return sessions, totals


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


@dataclass
class LocationWeek:
    location_id: int
    location_name: str
    total: int = 0
    referred_on: int = 0
    topics: list[tuple[str, int]] = field(default_factory=list)


def walk_in_contacts_per_location(
    *, start: datetime.date, end: datetime.date
) -> list[LocationWeek]:
    """Anonymous contacts between `start` and `end`, counted per location and topic, in a
    single grouped query. Anonymous, so every worker may see every location's counts."""
    rows = (
        AnonymousContact.objects.filter(date__gte=start, date__lte=end)
        .values("location_id", "location__name", "topic")
        .annotate(count=Count("id"), referred=Count("id", filter=Q(referred_on=True)))
        .order_by("location__name", "location_id", "topic")
    )
    topic_labels = dict(ContactTopic.choices)
    topic_order = {value: position for position, value in enumerate(ContactTopic.values)}
    per_location: dict[int, LocationWeek] = {}
    for row in rows:
        week = per_location.setdefault(
            row["location_id"], LocationWeek(row["location_id"], row["location__name"])
        )
        week.total += row["count"]
        week.referred_on += row["referred"]
        week.topics.append((row["topic"], row["count"]))
    for week in per_location.values():
        week.topics = [
            (str(topic_labels.get(topic, topic)), count)
            for topic, count in sorted(week.topics, key=lambda item: topic_order.get(item[0], 99))
        ]
    return list(per_location.values())
