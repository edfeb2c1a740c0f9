"""One set of hour rules (`cases.hour_rules`): the same bad input gets the same Dutch message
from every place that registers hours or sessions — staff hours, volunteer hours, group
sessions and the import (which puts its line number in front) — and one parser and one
formatter read and write hours."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.choices import HourKind
from cases.hour_rules import NOTE_MAX_LENGTH, format_hours, parse_hours
from cases.models import ClosedPeriod, GroupSession, HourRegistration
from cases.services.group_work import create_group_activity, register_group_session
from cases.services.hours import register_hours
from cases.services.imports import HourImportRefused, import_hours_file
from catalogue.templatetags.catalogue_tags import hours as hours_filter
from meerwaarde.accounts.models import Role
from meerwaarde.dates import dutch_date, registration_date_window
from tests.factories import TeamFactory
from tests.volunteers_factories import VolunteerFactory
from volunteers.models import VolunteerHours
from volunteers.services.volunteer_hours import register_volunteer_hours

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=3)
CLOSED_DAY = TODAY - datetime.timedelta(days=10)
TOMORROW = TODAY + datetime.timedelta(days=1)


# --- parser and formatter --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        (" 0,25 ", Decimal("0.25")),
        ("24", Decimal("24")),
        ("1 ,75", Decimal("1.75")),
        ("2,250", Decimal("2.25")),
        ("-1", Decimal("-1")),  # a number; `hours_problem` says it must be more than 0
        (Decimal("7.50"), Decimal("7.5")),
        (3, Decimal("3")),
    ],
)
def test_parse_hours_reads_a_comma_or_a_point(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "required", "Vul het aantal uren in."),
        ("   ", "required", "Vul het aantal uren in."),
        (None, "required", "Vul het aantal uren in."),
        ("anderhalf", "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        ("1.234,5", "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        ("1:30", "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        ("1e1", "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        ("1234567", "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        (1.5, "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),  # never floats
        (Decimal("NaN"), "invalid", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
    ],
)
def test_parse_hours_refuses_what_is_not_an_amount_of_hours(value, code, message):
    with pytest.raises(ValidationError) as error:
        parse_hours(value)
    assert error.value.code == code
    assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (Decimal("8.00"), "8"),
        (Decimal("7.50"), "7,5"),
        (Decimal("0.25"), "0,25"),
        (Decimal("10"), "10"),
        (Decimal("24.00"), "24"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("0"), "0"),
        (Decimal("1600"), "1.600"),
        (Decimal("5.444"), "5,44"),  # indicator values are rounded to two decimals
        (Decimal("2.675"), "2,68"),
        (Decimal("-1.5"), "-1,5"),
    ],
)
def test_format_hours_writes_dutch_without_needless_zeros(hours, text):
    assert format_hours(hours) == text
    # The pages' `hours` filter writes hours the same way.
    assert hours_filter(hours) == text


@pytest.mark.parametrize("quarters", [1, 2, 3, 6, 37, 96])
def test_what_format_hours_writes_parse_hours_reads_back(quarters):
    hours = Decimal(quarters) / 4
    assert parse_hours(format_hours(hours)) == hours


# --- the same rule, the same message, everywhere ---------------------------------------


@dataclass(frozen=True)
class Input:
    hours: str = "1"
    date: datetime.date = DAY
    note: str = ""
    already: Decimal = Decimal("0")  # hours the person has on `date` beforehand


WINDOW_MESSAGE = (
    f"Kies een datum tussen {dutch_date(registration_date_window().earliest)} en vandaag."
)
CLOSED_MESSAGE = (
    f"De periode {CLOSED_DAY:%d-%m-%Y} t/m {CLOSED_DAY:%d-%m-%Y} is afgesloten voor de "
    "rapportage; registraties daarin kunnen niet meer worden toegevoegd, gewijzigd of "
    "verwijderd."
)

# rule: (the bad input, the one message, the entry points the rule applies to)
HOURS_ENTRIES = ("staff", "volunteer", "import")
RULES = {
    "hours missing": (Input(hours=""), "Vul het aantal uren in.", HOURS_ENTRIES),
    "not a number": (
        Input(hours="anderhalf"),
        "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25.",
        HOURS_ENTRIES,
    ),
    "zero": (Input(hours="0"), "Het aantal uren moet meer dan 0 zijn.", HOURS_ENTRIES),
    "negative": (Input(hours="-1,5"), "Het aantal uren moet meer dan 0 zijn.", HOURS_ENTRIES),
    "not in quarters": (
        Input(hours="1,3"),
        "Registreer uren in kwartieren: 0,25 – 0,5 – 0,75 – 1 enzovoort.",
        HOURS_ENTRIES,
    ),
    "more than 24 at once": (
        Input(hours="24,25"),
        f"Meer dan 24 uur op één dag kan niet: op {DAY:%d-%m-%Y} staat al 0 uur; met 24,25 "
        "uur erbij wordt het 24,25 uur.",
        HOURS_ENTRIES,
    ),
    "more than 24 with what is there": (
        Input(hours="4,5", already=Decimal("20")),
        f"Meer dan 24 uur op één dag kan niet: op {DAY:%d-%m-%Y} staat al 20 uur; met 4,5 "
        "uur erbij wordt het 24,5 uur.",
        HOURS_ENTRIES,
    ),
    "date after today": (Input(date=TOMORROW), WINDOW_MESSAGE, (*HOURS_ENTRIES, "session")),
    "date in a closed period": (
        Input(date=CLOSED_DAY),
        CLOSED_MESSAGE,
        (*HOURS_ENTRIES, "session"),
    ),
    "note too long": (
        Input(note="x" * 301),
        "Gebruik hooguit 300 tekens (nu 301).",
        ("staff", "volunteer", "session"),  # the import has no note column
    ),
}


@pytest.fixture
def world(make_user, catalogue, tmp_path):
    """A worker, a volunteer with a coordinator, a group activity, a closed period."""
    team = TeamFactory(name="Team Nieuw-Vennep")
    worker = make_user(role=Role.SOCIAL_WORKER, username="jjansen", teams=[team])
    home_start = catalogue["home-start-en-home-start-plus"]
    coordinator = make_user(role=Role.COORDINATOR)
    home_start.coordinators.add(coordinator)
    ClosedPeriod.objects.create(start_date=CLOSED_DAY, end_date=CLOSED_DAY, closed_by=coordinator)
    activity = create_group_activity(
        product=catalogue["ouder-en-kind-inloop-oki"],
        name="OKI Nieuw-Vennep",
        team=team,
        start_date=TODAY - datetime.timedelta(days=60),
        created_by=worker,
    )
    return {
        "worker": worker,
        "product": catalogue["menes"],
        "volunteer": VolunteerFactory(products=[home_start]),
        "home_start": home_start,
        "coordinator": coordinator,
        "activity": activity,
        "tmp_path": tmp_path,
    }


def messages_of(call) -> list[str]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.messages


def staff_hours(world, bad: Input) -> list[str]:
    if bad.already:
        HourRegistration.objects.create(
            worker=world["worker"],
            date=bad.date,
            hours=bad.already,
            product=world["product"],
            kind=HourKind.DIRECT,
        )
    messages = messages_of(
        lambda: register_hours(
            worker=world["worker"],
            date=bad.date,
            hours=bad.hours,
            product=world["product"],
            kind=HourKind.DIRECT,
            note=bad.note,
            created_by=world["worker"],
        )
    )
    assert HourRegistration.objects.count() == (1 if bad.already else 0)
    return messages


def volunteer_hours(world, bad: Input) -> list[str]:
    if bad.already:
        VolunteerHours.objects.create(
            volunteer=world["volunteer"],
            date=bad.date,
            hours=bad.already,
            product=world["home_start"],
            registered_by=world["coordinator"],
        )
    messages = messages_of(
        lambda: register_volunteer_hours(
            volunteer=world["volunteer"],
            date=bad.date,
            hours=bad.hours,
            product=world["home_start"],
            note=bad.note,
            registered_by=world["coordinator"],
        )
    )
    assert VolunteerHours.objects.count() == (1 if bad.already else 0)
    return messages


def group_session(world, bad: Input) -> list[str]:
    return messages_of(
        lambda: register_group_session(
            activity=world["activity"],
            date=bad.date,
            participants=8,
            note=bad.note,
            created_by=world["worker"],
        )
    )


def hours_import(world, bad: Input) -> list[str]:
    if bad.already:
        HourRegistration.objects.create(
            worker=world["worker"],
            date=bad.date,
            hours=bad.already,
            product=world["product"],
            kind=HourKind.DIRECT,
        )
    path = world["tmp_path"] / "uren.csv"
    path.write_text(
        f"datum;medewerker;product;uren\n{bad.date:%d-%m-%Y};jjansen;menes;{bad.hours}\n"
    )
    with pytest.raises(HourImportRefused) as refusal:
        import_hours_file(path=path)
    assert HourRegistration.objects.count() == (1 if bad.already else 0)
    lines = [str(error) for error in refusal.value.row_errors]
    assert all(line.startswith("Regel 2: ") for line in lines)
    return [line.removeprefix("Regel 2: ") for line in lines]


ENTRY_POINTS = {
    "staff": staff_hours,
    "volunteer": volunteer_hours,
    "session": group_session,
    "import": hours_import,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "entry"),
    [(rule, entry) for rule, (_bad, _message, entries) in RULES.items() for entry in entries],
)
def test_every_entry_point_gives_the_one_message_of_a_rule(world, rule, entry):
    bad, message, _entries = RULES[rule]
    assert ENTRY_POINTS[entry](world, bad) == [message]


@pytest.mark.django_db
def test_exactly_24_hours_on_a_day_is_accepted_everywhere(world):
    """The limit itself is allowed: the entry points agree on where the rule starts."""
    worker, product = world["worker"], world["product"]
    register_hours(
        worker=worker,
        date=DAY,
        hours="20",
        product=product,
        kind=HourKind.DIRECT,
        created_by=worker,
    )
    register_hours(
        worker=worker,
        date=DAY,
        hours="3,75",
        product=product,
        kind=HourKind.DIRECT,
        created_by=worker,
    )
    path = world["tmp_path"] / "uren.csv"
    path.write_text(f"datum;medewerker;product;uren\n{DAY:%d-%m-%Y};jjansen;menes;0,25\n")
    assert import_hours_file(path=path).row_count == 1
    for hours in ("20", "4"):
        register_volunteer_hours(
            volunteer=world["volunteer"],
            date=DAY,
            hours=hours,
            product=world["home_start"],
            registered_by=world["coordinator"],
        )
    assert HourRegistration.objects.filter(worker=worker, date=DAY).count() == 3
    assert VolunteerHours.objects.filter(date=DAY).count() == 2


@pytest.mark.parametrize("model", [HourRegistration, VolunteerHours, GroupSession])
def test_the_note_columns_hold_exactly_what_the_rule_allows(model):
    assert model._meta.get_field("note").max_length == NOTE_MAX_LENGTH
