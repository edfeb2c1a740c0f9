"""Every write service records its change for reporting explicitly: the exact outbox rows
and the exact number of queries of each, one kick after commit, and every source a
computation reads is recorded by a write service.

A second, hidden write path (a signal, a save() that writes more) shows up here as a query
count or an outbox row that no longer matches."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from cases.choices import CaseStatus, HourKind
from cases.models import HourRegistration
from cases.services import case_flow
from cases.services.clients import update_client
from cases.services.group_work import (
    create_group_activity,
    register_anonymous_contact,
    register_group_session,
    save_group_activity,
)
from cases.services.hours import delete_hours, register_hours, update_hours
from cases.services.imports import import_hours_file
from cases.services.intake import IntakeData, criteria_to_confirm, register_intake
from catalogue.models import Area, HourBudget, Location
from catalogue.services import save_hour_budget
from meerwaarde.accounts.models import Role
from meerwaarde.outbox.models import Change
from reporting import services
from reporting.computations import READS, WATCHED_SOURCES
from reporting.models import DirtyPeriod, IndicatorValue
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory
from tests.outbox import changes_recorded, month
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import MatchStatus, Volunteer
from volunteers.services.matching import change_match_status
from volunteers.services.registry import create_volunteer, update_volunteer
from volunteers.services.volunteer_hours import register_volunteer_hours

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")

# A frozen clock on 2 January: DAY lies in the year before, the boundary where month and
# year arithmetic goes wrong first.
TODAY = datetime.date(2026, 1, 2)
DAY = TODAY - datetime.timedelta(days=2)
# In another month than DAY whatever today is.
OTHER_MONTH_DAY = DAY.replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(
        datetime.datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=AMSTERDAM), tick=False
    )


@pytest.fixture(autouse=True)
def warm_caches(catalogue):
    """Content types are looked up once per process and then cached (auditlog asks for
    them on every save): warm, so the counts below are what every later call costs."""
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def kern(catalogue):
    def named(name: str) -> Area:
        return Area.objects.get(kind="kern", name=name)

    return named


@pytest.fixture
def product(catalogue):
    return catalogue["1-5-gesprekken"]


@pytest.fixture
def home_start(catalogue):
    return catalogue["home-start-en-home-start-plus"]


@pytest.fixture
def coordinator(make_user, home_start):
    user = make_user(role=Role.COORDINATOR)
    home_start.coordinators.add(user)
    return user


@pytest.fixture
def case(team, product, worker, kern):
    client = ClientFactory(team=team, kern=kern("Hoofddorp"), postcode="2132 AB")
    return CaseFactory(
        client=client,
        product=product,
        team=team,
        responsible_worker=worker,
        registered_on=DAY,
        status=CaseStatus.REGISTERED,
    )


def book(worker, product, *, date=DAY):
    return register_hours(
        worker=worker,
        date=date,
        hours=Decimal("1.5"),
        product=product,
        kind=HourKind.COORDINATION,
        created_by=worker,
    )


def months_from(start: datetime.date) -> list[datetime.date]:
    months, current = [], start.replace(day=1)
    while current <= TODAY:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


# --- staff hours ----------------------------------------------------------------------------


def test_registering_hours_records_its_month_once_and_kicks_the_worker_once(
    worker, product, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # Savepoint, lock the worker, closed period, day total, the row, its history entry,
    # one outbox row, release.
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(8),
    ):
        book(worker, product)
    assert changes == [("cases.HourRegistration", month(DAY))]
    assert kicks == [1]
    # Reporting turns the one change into exactly the four periods containing the day.
    services.absorb_recorded_changes()
    marks = sorted(DirtyPeriod.objects.values_list("period_key", "source"))
    quarter = (DAY.month - 1) // 3 + 1
    half = 1 if DAY.month <= 6 else 2
    assert marks == sorted(
        (key, "cases.HourRegistration")
        for key in (
            f"{DAY:%Y-%m}",
            f"{DAY.year}-Q{quarter}",
            f"{DAY.year}-H{half}",
            f"{DAY.year}",
        )
    )
    assert not Change.objects.exists()


def test_moving_hours_to_another_month_records_both_months(
    worker, product, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    registration = book(worker, product)
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(12),
    ):
        update_hours(
            registration=registration,
            changed_by=worker,
            date=OTHER_MONTH_DAY,
            hours=Decimal("2"),
            product=product,
            kind=HourKind.COORDINATION,
        )
    assert changes == [
        ("cases.HourRegistration", month(OTHER_MONTH_DAY)),
        ("cases.HourRegistration", month(DAY)),
    ]
    assert kicks == [1]


def test_deleting_hours_records_its_month(
    worker, product, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    registration = book(worker, product)
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(8),
    ):
        delete_hours(registration=registration, deleted_by=worker)
    assert changes == [("cases.HourRegistration", month(DAY))]
    assert kicks == [1]


# --- intake, status, client move ----------------------------------------------------------


def test_an_intake_records_the_new_case_in_its_month(
    worker,
    team,
    product,
    kern,
    kicks,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client = ClientFactory(team=team, kern=kern("Hoofddorp"), postcode="2132 AB")
    data = IntakeData(
        product=product,
        referral_source="eigen_initiatief",
        question="Hulp bij post",
        team=team,
        responsible_worker=worker,
        registered_on=DAY,
        confirmed_criteria=criteria_to_confirm(product=product, client_like=client),
    )
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(17),
    ):
        register_intake(
            registered_by=worker, data=data, client=client, consents={"registratie": True}
        )
    # The new case is open: every month from its registration up to today.
    assert changes == [("cases.Case", m) for m in months_from(DAY)]
    assert kicks == [1]


def test_a_status_change_records_every_month_the_case_was_open(
    worker, case, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        # auditlog reads the old row and its references; the permission check (change_case)
        # reads the worker's teams, which a request has cached already
        django_assert_num_queries(12),
    ):
        case_flow.change_case_status(case=case, to_status=CaseStatus.INTAKE, changed_by=worker)
    assert changes == [("cases.Case", m) for m in months_from(DAY)]
    assert kicks == [1]


def test_closing_a_case_records_case_and_outcome_and_kicks_once(
    worker, case, kicks, django_capture_on_commit_callbacks
):
    case_flow.change_case_status(case=case, to_status=CaseStatus.INTAKE, changed_by=worker)
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    kicks.clear()
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        case_flow.close_case(
            case=case,
            closed_by=worker,
            goal_reached="ja",
            can_continue_independently=True,
            scores=[case_flow.Score("zrm", "voor", "financien", 2)],
        )
    assert changes == [
        *[("cases.Case", m) for m in months_from(DAY)],
        ("cases.CaseOutcome", month(TODAY)),
    ]
    assert kicks == [1]  # two changes in one transaction: one kick


def test_a_client_moving_to_another_kern_records_every_month_since_their_first_case(
    worker, case, kern, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client, elsewhere = case.client, kern("Nieuw-Vennep")
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(11),  # 1 of them: change_client reads the worker's teams
    ):
        update_client(client=client, data={"kern": elsewhere}, changed_by=worker)
    assert changes == [("cases.Client", m) for m in months_from(DAY)]
    assert kicks == [1]


def test_a_client_correction_that_keeps_the_kern_records_nothing(
    worker, case, kicks, django_capture_on_commit_callbacks
):
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        update_client(client=case.client, data={"first_name": "Anna"}, changed_by=worker)
    assert changes == [] and kicks == []


# --- import, volunteer hours, group work ---------------------------------------------------


def test_an_import_batch_records_its_months_once_and_kicks_once(
    make_user,
    product,
    tmp_path,
    kicks,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    path = tmp_path / "uren.csv"
    lines = ["datum;medewerker;product;uren;client;kern;soort"]
    lines += [f"{DAY:%d-%m-%Y};jjansen;menes;1;;;"] * 3
    lines += [f"{OTHER_MONTH_DAY:%d-%m-%Y};jjansen;menes;1;;;"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        # PostgreSQL: the rows go in with COPY, which is not counted; SQLite: one INSERT.
        django_assert_num_queries(13 if connection.vendor == "postgresql" else 14),
    ):
        import_hours_file(path=path)
    assert HourRegistration.objects.count() == 4
    assert changes == [
        ("cases.HourRegistration", month(OTHER_MONTH_DAY)),
        ("cases.HourRegistration", month(DAY)),
    ]
    assert kicks == [1]


def test_volunteer_hours_record_their_month(
    coordinator, home_start, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    volunteer = VolunteerFactory(products=[home_start])
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(10),
    ):
        register_volunteer_hours(
            volunteer=volunteer,
            date=DAY,
            hours=Decimal("2"),
            product=home_start,
            registered_by=coordinator,
        )
    assert changes == [("volunteers.VolunteerHours", month(DAY))]
    assert kicks == [1]


@pytest.fixture
def activity(catalogue, team, worker, kern):
    pluspunt = Location.objects.create(name="PlusPunt Pax", kind="pluspunt", area=kern("Hoofddorp"))
    return create_group_activity(
        product=catalogue["ouder-en-kind-inloop-oki"],
        name="OKI Pax",
        team=team,
        location=pluspunt,
        start_date=TODAY - datetime.timedelta(days=60),
        created_by=worker,
    )


def test_a_group_session_records_its_month(
    worker, activity, kicks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(5),
    ):
        register_group_session(activity=activity, date=DAY, participants=10, created_by=worker)
    assert changes == [("cases.GroupSession", month(DAY))]
    assert kicks == [1]


# --- every source a computation reads is recorded by a write service ----------------------


def _hours(world):
    book(world["worker"], world["product"])


def _volunteer_hours(world):
    register_volunteer_hours(
        volunteer=VolunteerFactory(products=[world["home_start"]]),
        date=DAY,
        hours=Decimal("1"),
        product=world["home_start"],
        registered_by=world["coordinator"],
    )


def _case(world):
    case_flow.change_case_status(
        case=world["case"], to_status=CaseStatus.INTAKE, changed_by=world["worker"]
    )


def _outcome(world):
    case_flow.change_case_status(
        case=world["case"], to_status=CaseStatus.INTAKE, changed_by=world["worker"]
    )
    case = case_flow.change_case_status(
        case=world["case"], to_status=CaseStatus.ACTIVE, changed_by=world["worker"]
    )
    case_flow.close_case(
        case=case, closed_by=world["worker"], goal_reached="ja", can_continue_independently=True
    )


def _referral(world):
    case_flow.add_referral(
        case=world["case"], partner="meer_team", date=DAY, created_by=world["worker"]
    )


def _walk_in_contact(world):
    register_anonymous_contact(
        date=DAY,
        location=world["activity"].location,
        topic="geldzaken",
        referred_on=False,
        registered_by=world["worker"],
    )


def _group_session(world):
    register_group_session(
        activity=world["activity"], date=DAY, participants=4, created_by=world["worker"]
    )


def _group_activity(world):
    _group_session(world)
    activity = world["activity"]
    activity.kern = world["kern"]("Nieuw-Vennep")
    save_group_activity(activity=activity)


def _match(world):
    match = MatchFactory(case=world["case"], proposed_on=DAY)
    coordinator = UserFactory(role=Role.COORDINATOR)  # manage_match: the case's product
    world["case"].product.coordinators.add(coordinator)
    change_match_status(
        match=match,
        to_status=MatchStatus.INTRODUCTION,
        changed_by=coordinator,
        on=TODAY,
    )


def _budget(world):
    save_hour_budget(
        budget=HourBudget(product=world["product"], year=2030, agreed_hours=Decimal("100"))
    )


def _client_move(world):
    update_client(
        client=world["case"].client, data={"kern": world["kern"]("Nieuw-Vennep")},
        changed_by=world["worker"],
    )  # fmt: skip


def _volunteer_move(world):
    data = volunteer_data(world["home_start"], kern=world["kern"]("Hoofddorp"))
    volunteer = create_volunteer(data=data, availability=set(), created_by=world["coordinator"])
    register_volunteer_hours(
        volunteer=volunteer,
        date=DAY,
        hours=Decimal("1"),
        product=world["home_start"],
        registered_by=world["coordinator"],
    )
    update_volunteer(
        volunteer=volunteer,
        data=volunteer_data(world["home_start"], kern=world["kern"]("Nieuw-Vennep")),
        availability=set(),
        changed_by=world["coordinator"],
        expected_version=volunteer.version,
    )


def volunteer_data(product, **overrides):
    return {
        "first_name": "Fatima",
        "last_name_prefix": "",
        "last_name": "Bakker",
        "birth_date": datetime.date(1980, 5, 1),
        "phone": "06 12345678",
        "email": "fatima@example.nl",
        "postcode": "2132ab",
        "kern": None,
        "status": "actief",
        "products": [product],
        "kernen_served": [],
        "max_matches": 2,
        "languages": "Nederlands",
        "skills": "",
        "wishes": "",
        "vog_date": TODAY - datetime.timedelta(days=10),
        **overrides,
    }


# A write service per source; a computation reading a new source fails the first test
# below until the service that changes it records the change (and is listed here).
WRITES = {
    "cases.HourRegistration": _hours,
    "volunteers.VolunteerHours": _volunteer_hours,
    "cases.Case": _case,
    "cases.CaseOutcome": _outcome,
    "cases.Referral": _referral,
    "cases.AnonymousContact": _walk_in_contact,
    "cases.GroupSession": _group_session,
    "cases.GroupActivity": _group_activity,
    "volunteers.Match": _match,
    "catalogue.HourBudget": _budget,
    "cases.Client": _client_move,
    "volunteers.Volunteer": _volunteer_move,
}


def test_the_watched_sources_are_derived_from_the_computations():
    assert frozenset().union(*READS.values()) == WATCHED_SOURCES
    assert set(WRITES) == WATCHED_SOURCES


@pytest.mark.parametrize("source", sorted(WRITES))
def test_every_source_a_computation_reads_is_recorded_by_its_write_service(
    source, worker, product, home_start, coordinator, case, activity, kern
):
    world = {
        "worker": worker,
        "product": product,
        "home_start": home_start,
        "coordinator": coordinator,
        "case": case,
        "activity": activity,
        "kern": kern,
    }
    with changes_recorded() as changes:
        WRITES[source](world)
    assert source in {recorded for recorded, _month in changes}


def test_a_budget_changed_in_beheer_records_every_month_of_its_year(product):
    with changes_recorded() as changes:
        save_hour_budget(budget=HourBudget(product=product, year=2031, agreed_hours=Decimal("100")))
    assert changes == [("catalogue.HourBudget", datetime.date(2031, m, 1)) for m in range(1, 13)]


def test_loading_the_catalogue_records_nothing_when_the_budgets_exist(catalogue):
    with changes_recorded() as changes:
        call_command("load_catalogue", verbosity=0)
    assert changes == []


def test_a_volunteer_moving_to_another_kern_records_the_months_of_their_hours(
    home_start, coordinator, kern
):
    world = {"home_start": home_start, "coordinator": coordinator, "kern": kern}
    with changes_recorded() as changes:
        _volunteer_move(world)
    assert changes == [
        ("volunteers.VolunteerHours", month(DAY)),
        ("volunteers.Volunteer", month(DAY)),
    ]
    assert Volunteer.objects.get().kern == kern("Nieuw-Vennep")


# --- the embedded default: no broker, tasks in-process ----------------------------------------


def test_without_a_broker_the_rollup_runs_once_in_process_after_commit(
    monkeypatch, worker, product, django_capture_on_commit_callbacks
):
    from meerwaarde.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    runs = []
    real = services.process_dirty_periods

    def counted(**kwargs):
        runs.append(1)
        return real(**kwargs)

    monkeypatch.setattr(services, "process_dirty_periods", counted)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        book(worker, product)
        book(worker, product, date=OTHER_MONTH_DAY)
        assert runs == []  # nothing inside the transaction
    assert runs == [1]
    assert not Change.objects.exists() and not DirtyPeriod.objects.exists()
    total = IndicatorValue.objects.get(
        indicator__code="uren_medewerkers",
        period__key=f"{DAY:%Y-%m}",
        product=None,
        area=None,
        area_unknown=False,
    )
    assert total.value == Decimal("1.50")
