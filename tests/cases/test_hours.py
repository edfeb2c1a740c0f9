"""Staff hour registration: the rules of cases.services.hours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from cases.choices import CaseStatus, HourKind
from cases.models import ClosedPeriod, HourRegistration
from cases.services.hours import delete_hours, register_hours, update_hours
from catalogue.models import Area
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory
from tests.outbox import changes_recorded, month

WINDOW_MESSAGE = registration_date_window().message

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=3)
OTHER_DAY = TODAY - datetime.timedelta(days=20)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def product(catalogue):
    return catalogue["1-5-gesprekken"]


@pytest.fixture
def case(team, product):
    hoofddorp = Area.objects.get(kind="kern", name="Hoofddorp")
    client = ClientFactory(team=team, kern=hoofddorp, postcode="2132 AB")
    return CaseFactory(client=client, product=product)


def register(worker, product, **overrides):
    arguments = {
        "worker": worker,
        "date": DAY,
        "hours": Decimal("1.5"),
        "product": product,
        "kind": HourKind.DIRECT,
        "created_by": worker,
    }
    arguments.update(overrides)
    return register_hours(**arguments)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.fixture
def closed_period(make_user):
    def close(start, end):
        return ClosedPeriod.objects.create(
            start_date=start, end_date=end, closed_by=make_user(role=Role.MANAGER)
        )

    return close


# --- registering ----------------------------------------------------------------------


def test_register_saves_hours_with_kern_and_pc4_of_the_cases_client(worker, product, case):
    registration = register(worker, product, case=case, note="  Huisbezoek  ")
    registration.refresh_from_db()
    assert registration.hours == Decimal("1.50")
    assert registration.case == case
    assert registration.kern.name == "Hoofddorp"
    assert registration.pc4 == "2132"
    assert registration.note == "Huisbezoek"
    assert registration.created_by == worker


def test_register_without_a_case_has_no_area(worker, product):
    registration = register(worker, product)
    assert registration.case is None and registration.kern is None and registration.pc4 == ""


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1"), Decimal("-0.25")])
def test_hours_must_be_more_than_zero(worker, product, hours):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, hours=hours)
    assert errors_of(excinfo)["hours"] == ["Het aantal uren moet meer dan 0 zijn."]
    assert not HourRegistration.objects.exists()


@pytest.mark.parametrize("hours", [Decimal("1.3"), Decimal("0.1"), Decimal("2.125")])
def test_hours_must_be_in_quarter_hour_steps(worker, product, hours):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, hours=hours)
    assert "kwartieren" in errors_of(excinfo)["hours"][0]
    assert not HourRegistration.objects.exists()


@pytest.mark.parametrize("hours", ["0.25", "0.75", "1.5", "24"])
def test_quarter_hours_up_to_a_full_day_are_accepted(worker, product, hours):
    assert register(worker, product, hours=Decimal(hours)).hours == Decimal(hours)


def test_hours_as_float_are_refused(worker, product):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, hours=1.5)
    assert "hours" in errors_of(excinfo)


def test_one_registration_of_more_than_24_hours_is_refused(worker, product):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, hours=Decimal("24.25"))
    assert errors_of(excinfo)["hours"] == [
        f"Meer dan 24 uur op één dag kan niet: op {DAY:%d-%m-%Y} staat al 0 uur; met 24,25 uur "
        "erbij wordt het 24,25 uur."
    ]


def test_24_hour_rule_counts_the_registrations_already_on_that_day(worker, product, make_user):
    for _ in range(3):
        register(worker, product, hours=Decimal("7.5"))
    register(worker, product, hours=Decimal("1.5"))  # exactly 24 hours now
    # Another day and another worker are not counted.
    register(worker, product, hours=Decimal("8"), date=OTHER_DAY)
    colleague = make_user(role=Role.SOCIAL_WORKER)
    register(colleague, product, hours=Decimal("8"), created_by=colleague)

    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, hours=Decimal("0.25"))
    message = errors_of(excinfo)["hours"][0]
    assert message == (
        f"Meer dan 24 uur op één dag kan niet: op {DAY:%d-%m-%Y} staat al 24 uur; met 0,25 uur "
        "erbij wordt het 24,25 uur."
    )
    assert HourRegistration.objects.filter(worker=worker, date=DAY).count() == 4


def test_hours_in_the_future_are_refused(worker, product):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, date=TODAY + datetime.timedelta(days=1))
    assert errors_of(excinfo)["date"] == [WINDOW_MESSAGE]
    assert not HourRegistration.objects.exists()


def test_hours_today_are_accepted(worker, product):
    assert register(worker, product, date=TODAY).date == TODAY


def test_hours_in_a_closed_period_are_refused(worker, product, closed_period):
    closed_period(DAY - datetime.timedelta(days=1), DAY)
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product)
    assert "afgesloten" in errors_of(excinfo)["date"][0]
    assert not HourRegistration.objects.exists()


def test_inactive_product_is_refused(worker, product):
    product.is_active = False
    product.save()
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product)
    assert errors_of(excinfo)["product"] == ["Dit product wordt niet meer aangeboden."]


def test_case_of_another_product_is_refused(worker, catalogue, case):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, catalogue["formulierenbrigade"], case=case)
    assert errors_of(excinfo)["case"] == [
        "Dit traject hoort bij 1-5 gesprekken, niet bij Formulierenbrigade."
    ]
    assert not HourRegistration.objects.exists()


def test_case_of_another_team_is_refused(worker, product):
    other_case = CaseFactory(product=product)  # its own, other team
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, case=other_case)
    assert errors_of(excinfo)["case"] == ["Dit traject is niet gevonden bij uw trajecten."]
    assert not HourRegistration.objects.exists()


def test_coordinator_may_register_on_a_case_of_a_product_they_coordinate(make_user, product):
    coordinator = make_user(role=Role.COORDINATOR)
    product.coordinators.add(coordinator)
    other_case = CaseFactory(product=product)
    registration = register(coordinator, product, case=other_case, created_by=coordinator)
    assert registration.case == other_case


def test_cancelled_case_is_refused(worker, product, case):
    case.status = CaseStatus.CANCELLED
    case.save()
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, case=case)
    assert "geannuleerd" in errors_of(excinfo)["case"][0]


def test_closed_case_still_takes_hours(worker, product, case):
    case.status = CaseStatus.CLOSED
    case.save()
    assert register(worker, product, case=case).case == case


def test_unknown_kind_and_long_note_are_refused_together(worker, product):
    with pytest.raises(ValidationError) as excinfo:
        register(worker, product, kind="vergaderen", note="x" * 301, hours=Decimal("0"))
    errors = errors_of(excinfo)
    assert set(errors) == {"kind", "note", "hours"}


# --- changing -------------------------------------------------------------------------


def test_update_changes_the_registration_and_area(worker, product, case):
    registration = register(worker, product)
    updated = update_hours(
        registration=registration,
        changed_by=worker,
        date=OTHER_DAY,
        hours=Decimal("2.75"),
        product=product,
        kind=HourKind.COORDINATION,
        case=case,
        note="Overleg",
    )
    updated.refresh_from_db()
    assert (updated.date, updated.hours, updated.kind) == (
        OTHER_DAY,
        Decimal("2.75"),
        HourKind.COORDINATION,
    )
    assert updated.pc4 == "2132" and updated.kern.name == "Hoofddorp"

    updated = update_hours(
        registration=updated,
        changed_by=worker,
        date=OTHER_DAY,
        hours=Decimal("2.75"),
        product=product,
        kind=HourKind.COORDINATION,
    )
    assert updated.case is None and updated.kern is None and updated.pc4 == ""


def edit(registration, worker, **overrides):
    arguments = {
        "registration": registration,
        "changed_by": worker,
        "date": registration.date,
        "hours": registration.hours,
        "product": registration.product,
        "kind": registration.kind,
        "case": registration.case,
        "note": registration.note,
    }
    arguments.update(overrides)
    return update_hours(**arguments)


def test_editing_does_not_count_the_registration_itself(worker, product):
    registration = register(worker, product, hours=Decimal("20"))
    assert edit(registration, worker, hours=Decimal("24")).hours == Decimal("24")


def test_editing_counts_the_other_registrations_of_the_day(worker, product):
    registration = register(worker, product, hours=Decimal("10"))
    register(worker, product, hours=Decimal("10"))
    edit(registration, worker, hours=Decimal("14"))
    with pytest.raises(ValidationError) as excinfo:
        edit(registration, worker, hours=Decimal("14.25"))
    assert (
        "staat al 10 uur; met 14,25 uur erbij wordt het 24,25 uur."
        in (errors_of(excinfo)["hours"][0])
    )
    registration.refresh_from_db()
    assert registration.hours == Decimal("14")


def test_moving_hours_to_a_full_day_is_refused(worker, product):
    register(worker, product, hours=Decimal("23"), date=OTHER_DAY)
    registration = register(worker, product, hours=Decimal("2"))
    with pytest.raises(ValidationError):
        edit(registration, worker, date=OTHER_DAY)
    registration.refresh_from_db()
    assert registration.date == DAY


def test_editing_hours_whose_old_date_is_in_a_closed_period_is_refused(
    worker, product, closed_period
):
    registration = register(worker, product, date=OTHER_DAY)
    closed_period(OTHER_DAY, OTHER_DAY)
    with pytest.raises(ValidationError) as excinfo:
        edit(registration, worker, date=DAY)
    assert "afgesloten" in errors_of(excinfo)[NON_FIELD_ERRORS][0]
    with pytest.raises(ValidationError) as excinfo:
        edit(registration, worker, hours=Decimal("3"))
    assert "afgesloten" in errors_of(excinfo)["date"][0]
    registration.refresh_from_db()
    assert (registration.date, registration.hours) == (OTHER_DAY, Decimal("1.5"))


def test_moving_hours_into_a_closed_period_is_refused(worker, product, closed_period):
    registration = register(worker, product)
    closed_period(OTHER_DAY, OTHER_DAY)
    with pytest.raises(ValidationError) as excinfo:
        edit(registration, worker, date=OTHER_DAY)
    assert "afgesloten" in errors_of(excinfo)["date"][0]
    registration.refresh_from_db()
    assert registration.date == DAY


def test_editing_into_the_future_is_refused(worker, product):
    registration = register(worker, product)
    with pytest.raises(ValidationError) as excinfo:
        edit(registration, worker, date=TODAY + datetime.timedelta(days=2))
    assert errors_of(excinfo)["date"] == [WINDOW_MESSAGE]


def test_a_registration_keeps_its_case_after_the_case_was_cancelled(worker, product, case):
    registration = register(worker, product, case=case)
    case.status = CaseStatus.CANCELLED
    case.save()
    assert edit(registration, worker, note="Gecorrigeerd").note == "Gecorrigeerd"
    other = CaseFactory(client=case.client, product=product, status=CaseStatus.CANCELLED)
    with pytest.raises(ValidationError):
        edit(registration, worker, case=other)


def test_only_the_worker_may_change_or_delete_their_hours(worker, product, team, make_user):
    registration = register(worker, product)
    colleague = make_user(role=Role.SOCIAL_WORKER, teams=[team])
    with pytest.raises(PermissionDenied):
        edit(registration, colleague, hours=Decimal("3"))
    with pytest.raises(PermissionDenied):
        delete_hours(registration=registration, deleted_by=colleague)
    registration.refresh_from_db()
    assert registration.hours == Decimal("1.5")


# --- deleting -------------------------------------------------------------------------


def test_delete_removes_the_registration(worker, product):
    registration = register(worker, product)
    delete_hours(registration=registration, deleted_by=worker)
    assert not HourRegistration.objects.exists()


def test_delete_in_a_closed_period_is_refused(worker, product, closed_period):
    registration = register(worker, product)
    closed_period(DAY, DAY)
    with pytest.raises(ValidationError) as excinfo:
        delete_hours(registration=registration, deleted_by=worker)
    assert "afgesloten" in excinfo.value.messages[0]
    assert HourRegistration.objects.filter(pk=registration.pk).exists()


# --- the change each write records for reporting ------------------------------------------


def test_each_write_records_its_months_and_kicks_once_after_commit(
    worker, product, catalogue, kicks, django_capture_on_commit_callbacks
):
    source = "cases.HourRegistration"
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        registration = register(worker, product)
    assert changes == [(source, month(DAY))]
    assert kicks == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert kicks == [1]

    other_product = catalogue["formulierenbrigade"]
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        edit(registration, worker, date=OTHER_DAY, product=other_product)
    assert changes == [(source, m) for m in sorted({month(DAY), month(OTHER_DAY)})]
    assert kicks == [1, 1]

    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        delete_hours(registration=registration, deleted_by=worker)
    assert changes == [(source, month(OTHER_DAY))]
    assert kicks == [1, 1, 1]


def test_refused_hours_record_nothing(worker, product, kicks, django_capture_on_commit_callbacks):
    with (
        changes_recorded() as changes,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        register(worker, product, hours=Decimal("30"))
    assert callbacks == [] and changes == [] and kicks == []
