"""Closed periods have one owner, cases.services.periods: the manager closes (through
reporting's "Periode sluiten"), the functioneel beheerder reopens one closed by mistake,
with a reason that stays in the history; hours follow the closures in force."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.choices import HourKind
from cases.models import ClosedPeriod, HourRegistration
from cases.services.hours import register_hours
from cases.services.periods import (
    close_period,
    closed_period_containing,
    is_in_closed_period,
    reopen_period,
)
from meerwaarde.accounts.models import Role

pytestmark = pytest.mark.django_db

# Inside the default registration window (from 1 January of the previous year).
YEAR = datetime.date.today().year - 1
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 3, 31)
DAY = datetime.date(YEAR, 2, 3)


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.MANAGER)


@pytest.fixture
def beheerder(make_user):
    return make_user(role=Role.FUNCTIONAL_ADMIN)


@pytest.fixture
def closed(manager):
    return close_period(actor=manager, start=START, end=END)


def book(worker, catalogue, day=DAY):
    return register_hours(
        worker=worker,
        date=day,
        hours=Decimal("1.5"),
        product=catalogue["menes"],
        kind=HourKind.COORDINATION,
        created_by=worker,
    )


def reopen_url(period):
    return reverse("admin:cases_closedperiod_reopen", args=[period.pk])


# --- the service ----------------------------------------------------------------------------


def test_the_manager_closes_and_hours_in_the_period_are_refused(closed, make_user, catalogue):
    worker = make_user(role=Role.SOCIAL_WORKER)

    assert closed_period_containing(DAY) == closed
    assert is_in_closed_period(START) and is_in_closed_period(END)
    assert not is_in_closed_period(END + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="afgesloten"):
        book(worker, catalogue)
    assert not HourRegistration.objects.exists()


@pytest.mark.parametrize("role", [Role.FUNCTIONAL_ADMIN, Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_only_the_manager_closes(make_user, role):
    with pytest.raises(PermissionDenied):
        close_period(actor=make_user(role=role), start=START, end=END)
    assert not ClosedPeriod.all_records.exists()


def test_a_closed_period_is_not_closed_twice_and_its_dates_must_be_in_order(closed, manager):
    with pytest.raises(ValidationError, match="al gesloten"):
        close_period(actor=manager, start=DAY, end=DAY)
    with pytest.raises(ValidationError, match="na het einde"):
        close_period(actor=manager, start=END, end=START)
    assert ClosedPeriod.all_records.count() == 1


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_only_the_beheerder_reopens(closed, make_user, role):
    with pytest.raises(PermissionDenied):
        reopen_period(actor=make_user(role=role), period=closed, reason="Per ongeluk")
    assert is_in_closed_period(DAY)


def test_reopening_needs_a_reason_and_saves_nothing_without_one(closed, beheerder):
    with pytest.raises(ValidationError, match="Geef een reden"):
        reopen_period(actor=beheerder, period=closed, reason="   ")
    closed.refresh_from_db()
    assert closed.is_in_force and closed.reopened_by is None


def test_reopening_keeps_the_row_as_history_and_hours_can_be_booked_again(
    closed, beheerder, manager, make_user, catalogue
):
    worker = make_user(role=Role.SOCIAL_WORKER)

    reopened = reopen_period(actor=beheerder, period=closed, reason="Verkeerd kwartaal gesloten")

    assert not is_in_closed_period(DAY)
    assert not ClosedPeriod.objects.exists()
    history = ClosedPeriod.all_records.get()
    assert history == reopened
    assert (history.closed_by, history.reopened_by, history.reopen_reason) == (
        manager,
        beheerder,
        "Verkeerd kwartaal gesloten",
    )
    assert history.reopened_at is not None
    assert book(worker, catalogue).date == DAY
    with pytest.raises(ValidationError, match="al heropend"):
        reopen_period(actor=beheerder, period=history, reason="Nog eens")
    # … and the manager can close it again.
    again = close_period(actor=manager, start=START, end=END)
    assert closed_period_containing(DAY) == again


# --- the admin ------------------------------------------------------------------------------


def test_beheerder_reopens_in_the_admin_after_a_page_that_says_the_consequence(
    client, login, closed, beheerder, make_user, catalogue
):
    login(beheerder)
    changelist = client.get(reverse("admin:cases_closedperiod_changelist")).content.decode()
    assert reopen_url(closed) in changelist

    page = client.get(reopen_url(closed))

    assert page.status_code == 200
    consequence = page.content.decode()
    assert "weer worden geregistreerd, gewijzigd en verwijderd" in consequence
    assert "weer voorlopig" in consequence

    response = client.post(reopen_url(closed), {"reason": "Per ongeluk gesloten"})

    assert response.status_code == 302
    closed.refresh_from_db()
    assert (closed.reopened_by, closed.reopen_reason) == (beheerder, "Per ongeluk gesloten")
    listing = client.get(response.url).content.decode()
    assert "is heropend; de cijfers zijn weer voorlopig" in listing
    assert "Per ongeluk gesloten" in listing  # the history stays in the list
    assert reopen_url(closed) not in listing
    worker = make_user(role=Role.SOCIAL_WORKER)
    assert book(worker, catalogue).pk is not None


def test_reopening_without_a_reason_shows_the_dutch_message_and_keeps_it_closed(
    client, login, closed, beheerder
):
    login(beheerder)

    response = client.post(reopen_url(closed), {"reason": ""})

    assert response.status_code == 200
    assert "Geef een reden voor het heropenen." in response.content.decode()
    assert is_in_closed_period(DAY)


def test_reopening_an_already_reopened_period_changes_nothing(client, login, closed, beheerder):
    reopen_period(actor=beheerder, period=closed, reason="Eerste keer")
    login(beheerder)

    response = client.post(reopen_url(closed), {"reason": "Tweede keer"}, follow=True)

    assert "al heropend" in response.content.decode()
    closed.refresh_from_db()
    assert closed.reopen_reason == "Eerste keer"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_other_roles_cannot_reach_the_reopen_page(client, login, closed, make_user, role):
    login(make_user(role=role))

    response = client.post(reopen_url(closed), {"reason": "Mag niet"})

    assert response.status_code == 403
    assert is_in_closed_period(DAY)
