"""The registration date window for volunteer hours and match dates: outside it the window's
Dutch message and nothing saved; the edges accepted."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.choices import CaseStatus
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory
from tests.volunteers_factories import VolunteerFactory
from volunteers.models import Match, TrainingType, VolunteerHours, VolunteerTraining
from volunteers.services.matching import propose_match, role_for_product
from volunteers.services.volunteer_hours import register_volunteer_hours

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def window():
    return registration_date_window()


def outside(index: int) -> datetime.date:
    w = window()
    return [
        datetime.date(1, 1, 1),
        datetime.date(1800, 6, 1),
        datetime.date(1999, 1, 1),
        w.earliest - DAY,
        w.latest + DAY,
    ][index]


OUTSIDE = pytest.mark.parametrize("index", range(5), ids=["0001", "1800", "1999", "eve", "morgen"])


def book(volunteer, product, coordinator, day):
    return register_volunteer_hours(
        volunteer=volunteer,
        product=product,
        registered_by=coordinator,
        date=day,
        hours=Decimal("2"),
    )


@OUTSIDE
def test_volunteer_hours_outside_the_window_are_refused(volunteer, home_start, coordinator, index):
    with pytest.raises(ValidationError) as error:
        book(volunteer, home_start, coordinator, outside(index))
    assert error.value.message_dict["date"] == [window().message]
    assert not VolunteerHours.objects.exists()


@pytest.mark.parametrize("edge", ["earliest", "latest"])
def test_volunteer_hours_on_the_edges_are_saved(volunteer, home_start, coordinator, edge):
    day = getattr(window(), edge)
    assert book(volunteer, home_start, coordinator, day).date == day


def test_volunteer_hours_form_outside_the_window_shows_the_message(
    client, login, volunteer, home_start, coordinator
):
    login(coordinator)
    response = client.post(
        reverse("volunteers_registry:add_hours", args=[volunteer.pk]),
        {"date": "1800-01-01", "hours": "2", "product": home_start.pk},
    )
    assert response.status_code == 400
    assert window().message in response.content.decode()
    assert not VolunteerHours.objects.exists()


@OUTSIDE
def test_match_date_outside_the_window_is_refused(home_start, coordinator, index):
    case = CaseFactory(
        product=home_start, status=CaseStatus.WAITING_LIST, registered_on=window().earliest
    )
    volunteer = VolunteerFactory(products=[home_start])
    VolunteerTraining.objects.create(
        volunteer=volunteer,
        training=TrainingType.objects.get(name="Home-Start training"),
        completed_on=window().latest,
    )
    with pytest.raises(ValidationError) as error:
        propose_match(
            case=case,
            volunteer=volunteer,
            role=role_for_product(home_start),
            proposed_by=coordinator,
            on=outside(index),
        )
    assert error.value.message_dict["on"] == [window().message]
    assert not Match.objects.exists()
