"""The registration date window at every entry point of cases: a date before the earliest
registration date (01-01-0001, 0025-03-01, 01-01-1999, the day before) or in the future gets
the window's one Dutch message and saves nothing; the edges themselves are accepted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.choices import CaseStatus, ContactKind, ContactTopic, HourKind, MediationStep, Partner
from cases.models import (
    AnonymousContact,
    Case,
    Client,
    Contact,
    GroupActivity,
    GroupSession,
    HourRegistration,
    MediationStepRecord,
    Referral,
)
from cases.services.case_flow import add_contact, add_referral, change_case_status
from cases.services.group_work import (
    create_group_activity,
    register_anonymous_contact,
    register_group_session,
)
from cases.services.hours import register_hours
from cases.services.imports import HourImportRefused, import_hours_file
from cases.services.mediation import record_mediation_step
from catalogue.models import Area, Location
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def window():
    return registration_date_window()


def outside_dates() -> list[datetime.date]:
    """The probe's dates, the day before the window, and tomorrow."""
    w = window()
    return [
        datetime.date(1, 1, 1),
        datetime.date(25, 3, 1),
        datetime.date(1999, 1, 1),
        w.earliest - DAY,
        w.latest + DAY,
    ]


def edges() -> list[datetime.date]:
    w = window()
    return [w.earliest, w.latest]


OUTSIDE = pytest.mark.parametrize("index", range(5), ids=["0001", "0025", "1999", "eve", "morgen"])
EDGES = pytest.mark.parametrize("index", range(2), ids=["vroegste", "vandaag"])


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def case(team, catalogue):
    """A case registered on the window's first day, so every date in the window is after it."""
    return CaseFactory(
        team=team,
        product=catalogue["1-5-gesprekken"],
        status=CaseStatus.ACTIVE,
        registered_on=window().earliest,
    )


@pytest.fixture
def pluspunt(catalogue):
    hoofddorp = Area.objects.get(kind="kern", name="Hoofddorp")
    return Location.objects.create(name="PlusPunt Pax", kind="pluspunt", area=hoofddorp)


@pytest.fixture
def activity(catalogue, team, worker, pluspunt):
    return create_group_activity(
        product=catalogue["ouder-en-kind-inloop-oki"],
        name="OKI Pax",
        team=team,
        location=pluspunt,
        start_date=window().earliest,
        created_by=worker,
    )


def refused(call, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.message_dict[field] == [window().message]


# --- intake (through the form: the message lands on the field) --------------------------


def iso(day: datetime.date) -> str:
    """Four-digit year also for year 25 (isoformat does that too, strftime does not)."""
    return day.isoformat()


def intake_post(catalogue, team, worker, registered_on: datetime.date) -> dict:
    return {
        "first_name": "Samira",
        "last_name": "Bouzid",
        "birth_date": "1984-03-14",
        "postcode": "2132 AB",
        "house_number": "12",
        "street": "Kruisweg",
        "city": "Hoofddorp",
        "lives_in_haarlemmermeer": "on",
        "product": catalogue["1-5-gesprekken"].pk,
        "confirmed_criteria": list(catalogue["1-5-gesprekken"].judgement_criteria),
        "referral_source": "huisarts",
        "question": "Zorgen over schulden.",
        "team": team.pk,
        "responsible_worker": worker.pk,
        "start_status": "intake",
        "registered_on": iso(registered_on),
        "consent_registration": "on",
    }


@OUTSIDE
def test_intake_outside_the_window_is_refused(client, login, worker, team, catalogue, index):
    login(worker)
    data = intake_post(catalogue, team, worker, outside_dates()[index])
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 200
    assert window().message in response.content.decode()
    assert not Case.objects.exists() and not Client.objects.exists()


@EDGES
def test_intake_on_the_edges_is_saved(client, login, worker, team, catalogue, index):
    login(worker)
    day = edges()[index]
    response = client.post(reverse("cases:intake"), intake_post(catalogue, team, worker, day))
    assert response.status_code == 302
    assert Case.objects.get().registered_on == day


def test_the_intake_form_draws_the_window_on_the_date_input(client, login, worker, catalogue):
    login(worker)
    html = client.get(reverse("cases:intake")).content.decode()
    w = window()
    assert f'min="{w.earliest.isoformat()}"' in html
    assert f'max="{w.latest.isoformat()}"' in html


# --- case dates: contacts, referrals, status dates -----------------------------------------


@OUTSIDE
def test_contact_outside_the_window_is_refused(case, worker, index):
    refused(
        lambda: add_contact(
            case=case,
            date=outside_dates()[index],
            kind=ContactKind.CONVERSATION,
            summary="Gesprek",
            created_by=worker,
        ),
        "date",
    )
    assert not Contact.objects.exists()


@EDGES
def test_contact_on_the_edges_is_saved(case, worker, index):
    contact = add_contact(
        case=case,
        date=edges()[index],
        kind=ContactKind.CONVERSATION,
        summary="x",
        created_by=worker,
    )
    assert contact.date == edges()[index]


def test_a_contact_form_outside_the_window_shows_the_message(client, login, case, worker):
    login(worker)
    response = client.post(
        reverse("cases:add_contact", args=[case.pk]),
        {"date": "0001-01-01", "kind": ContactKind.CONVERSATION, "summary": "x"},
    )
    assert response.status_code == 200
    assert window().message in response.content.decode()
    assert not Contact.objects.exists()


@OUTSIDE
def test_referral_outside_the_window_is_refused(case, worker, index):
    refused(
        lambda: add_referral(
            case=case, partner=Partner.LEGAL_AID, date=outside_dates()[index], created_by=worker
        ),
        "date",
    )
    assert not Referral.objects.exists()


@EDGES
def test_referral_on_the_edges_is_saved(case, worker, index):
    referral = add_referral(
        case=case, partner=Partner.LEGAL_AID, date=edges()[index], created_by=worker
    )
    assert referral.date == edges()[index]


@OUTSIDE
def test_status_date_outside_the_window_is_refused(case, worker, index):
    refused(
        lambda: change_case_status(
            case=case, to_status=CaseStatus.CLOSED, changed_by=worker, on=outside_dates()[index]
        ),
        "on",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.closed_on is None


# --- staff hours ---------------------------------------------------------------------------


def book(worker, catalogue, day):
    return register_hours(
        worker=worker,
        date=day,
        hours=Decimal("1.5"),
        product=catalogue["1-5-gesprekken"],
        kind=HourKind.DIRECT,
        created_by=worker,
    )


@OUTSIDE
def test_staff_hours_outside_the_window_are_refused(worker, catalogue, index):
    refused(lambda: book(worker, catalogue, outside_dates()[index]), "date")
    assert not HourRegistration.objects.exists()


@EDGES
def test_staff_hours_on_the_edges_are_saved(worker, catalogue, index):
    assert book(worker, catalogue, edges()[index]).date == edges()[index]


# --- group sessions, activities and walk-in contacts --------------------------------------


@OUTSIDE
def test_session_outside_the_window_is_refused(activity, worker, index):
    refused(
        lambda: register_group_session(
            activity=activity, date=outside_dates()[index], participants=8, created_by=worker
        ),
        "date",
    )
    assert not GroupSession.objects.exists()


@EDGES
def test_session_on_the_edges_is_saved(activity, worker, index):
    saved = register_group_session(
        activity=activity, date=edges()[index], participants=8, created_by=worker
    )
    assert saved.date == edges()[index]


def test_an_activity_cannot_start_before_the_window(catalogue, team, worker, pluspunt):
    with pytest.raises(ValidationError) as error:
        create_group_activity(
            product=catalogue["ouder-en-kind-inloop-oki"],
            name="OKI oud",
            team=team,
            location=pluspunt,
            start_date=datetime.date(1, 1, 1),
            created_by=worker,
        )
    assert error.value.message_dict["start_date"] == [window().message_from]
    assert not GroupActivity.objects.exists()


@OUTSIDE
def test_walk_in_contact_outside_the_window_is_refused(worker, pluspunt, catalogue, index):
    refused(
        lambda: register_anonymous_contact(
            date=outside_dates()[index],
            location=pluspunt,
            topic=ContactTopic.FORMS,
            referred_on=False,
            registered_by=worker,
        ),
        "date",
    )
    assert not AnonymousContact.objects.exists()


@EDGES
def test_walk_in_contact_on_the_edges_is_saved(worker, pluspunt, catalogue, index):
    contact = register_anonymous_contact(
        date=edges()[index],
        location=pluspunt,
        topic=ContactTopic.FORMS,
        referred_on=False,
        registered_by=worker,
    )
    assert contact.date == edges()[index]


# --- mediation steps -----------------------------------------------------------------------


@pytest.fixture
def melding(catalogue, make_user):
    product = catalogue["buurt-en-groepsbemiddeling"]
    coordinator = make_user(role=Role.COORDINATOR)
    product.coordinators.add(coordinator)
    case = CaseFactory(
        product=product, status=CaseStatus.REGISTERED, registered_on=window().earliest
    )
    return case, coordinator


@OUTSIDE
def test_mediation_step_outside_the_window_is_refused(melding, index):
    case, coordinator = melding
    refused(
        lambda: record_mediation_step(
            case=case,
            step=MediationStep.INTAKE,
            date=outside_dates()[index],
            note="Melding",
            recorded_by=coordinator,
        ),
        "date",
    )
    assert not MediationStepRecord.objects.exists()


@EDGES
def test_mediation_step_on_the_edges_is_saved(melding, index):
    case, coordinator = melding
    record = record_mediation_step(
        case=case,
        step=MediationStep.INTAKE,
        date=edges()[index],
        note="Melding",
        recorded_by=coordinator,
    )
    assert record.date == edges()[index]


# --- the hours import ---------------------------------------------------------------------


def test_import_refuses_every_line_outside_the_window_with_its_line_number(
    make_user, catalogue, tmp_path
):
    make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    w = window()
    lines = [
        "datum;medewerker;product;uren;client;kern;soort",
        f"{w.earliest:%d-%m-%Y};jjansen;menes;1;;;",  # line 2: the first day, fine
        "01-01-0001;jjansen;menes;1;;;",  # 3
        "0025-03-01;jjansen;menes;1;;;",  # 4
        "01-01-1999;jjansen;menes;1;;;",  # 5
        f"{w.earliest - DAY:%d-%m-%Y};jjansen;menes;1;;;",  # 6
        f"{w.latest + DAY:%d-%m-%Y};jjansen;menes;1;;;",  # 7
        f"{w.latest:%d-%m-%Y};jjansen;menes;1;;;",  # 8: today, fine
    ]
    path = tmp_path / "uren.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(HourImportRefused) as info:
        import_hours_file(path=path)
    errors = [str(error) for error in info.value.row_errors]
    assert len(errors) == 5
    for line, error in zip(range(3, 8), errors, strict=True):
        assert f"Regel {line}" in error, error
        assert w.message in error
    assert not HourRegistration.objects.exists()  # all or nothing


def test_import_on_the_edges_is_saved(make_user, catalogue, tmp_path):
    make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    w = window()
    path = tmp_path / "uren.csv"
    path.write_text(
        "datum;medewerker;product;uren;client;kern;soort\n"
        f"{w.earliest:%d-%m-%Y};jjansen;menes;1;;;\n"
        f"{w.latest:%Y-%m-%d};jjansen;menes;1;;;\n",
        encoding="utf-8",
    )
    import_hours_file(path=path)
    assert sorted(HourRegistration.objects.values_list("date", flat=True)) == [
        w.earliest,
        w.latest,
    ]


# --- birth dates have their own check ----------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (datetime.date(1899, 12, 31), "De geboortedatum ligt vóór 1900."),
        (datetime.date(2999, 1, 1), "De geboortedatum ligt in de toekomst."),
    ],
)
def test_client_birth_date_before_1900_or_in_the_future_is_refused(
    team, worker, birth_date, message
):
    from cases.services.clients import build_client

    with pytest.raises(ValidationError) as error:
        build_client(
            data={
                "first_name": "Oud",
                "last_name": "Mens",
                "birth_date": birth_date,
                "postcode": "2132 AB",
                "house_number": 3,
                "lives_in_haarlemmermeer": True,
            },
            team=team,
            created_by=worker,
        )
    assert error.value.message_dict["birth_date"] == [message]
    assert not Client.objects.exists()
