import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import ClosedPeriod, GroupActivity
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory
from tests.outbox import changes_recorded, month
from tests.volunteers_factories import MatchFactory
from volunteers.models import VolunteerHours
from volunteers.services.volunteer_hours import register_volunteer_hours

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def register(volunteer, product, coordinator, **kwargs):
    values = {"date": YESTERDAY, "hours": Decimal("1.5")}
    values.update(kwargs)
    return register_volunteer_hours(
        volunteer=volunteer, product=product, registered_by=coordinator, **values
    )


def test_registers_hours_with_match_kern_and_records_the_change(
    coordinator, volunteer, home_start, kicks, django_capture_on_commit_callbacks
):
    match = MatchFactory(volunteer=volunteer, case=CaseFactory(product=home_start))
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        registration = register(volunteer, home_start, coordinator, match=match, hours="1.5")
    assert registration.hours == Decimal("1.5")
    assert registration.kern == match.case.client.kern
    assert changes == [("volunteers.VolunteerHours", month(YESTERDAY))]
    assert kicks == [1]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"hours": "0"}, "hours", "meer dan 0"),
        ({"hours": "1.1"}, "hours", "kwartieren"),
        ({"hours": "abc"}, "hours", "bijvoorbeeld 1,5"),
        ({"hours": "24.25"}, "hours", "Meer dan 24 uur op één dag kan niet"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date", "Kies een datum tussen"),
        ({"note": "x" * 301}, "note", "hooguit 300"),
    ],
)
def test_bad_input_is_rejected(coordinator, volunteer, home_start, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        register(volunteer, home_start, coordinator, **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    assert not VolunteerHours.objects.exists()


def test_day_total_counts_existing_hours(coordinator, volunteer, home_start):
    register(volunteer, home_start, coordinator, hours=Decimal("20"))
    with pytest.raises(ValidationError) as error:
        register(volunteer, home_start, coordinator, hours=Decimal("4.25"))
    assert (
        "staat al 20 uur; met 4,25 uur erbij wordt het 24,25 uur."
        in (error.value.message_dict["hours"][0])
    )
    register(volunteer, home_start, coordinator, hours=Decimal("4"))
    assert VolunteerHours.objects.count() == 2


def test_closed_period_is_refused(coordinator, volunteer, home_start):
    ClosedPeriod.objects.create(start_date=YESTERDAY, end_date=YESTERDAY, closed_by=coordinator)
    with pytest.raises(ValidationError) as error:
        register(volunteer, home_start, coordinator)
    assert "afgesloten" in error.value.message_dict["date"][0]


def test_product_must_be_one_the_volunteer_works_for(mediation_coordinator, volunteer, mediation):
    with pytest.raises(ValidationError) as error:
        register(volunteer, mediation, mediation_coordinator)
    assert "werkt niet voor" in error.value.message_dict["product"][0]


def test_match_must_be_the_volunteers_and_same_product(
    coordinator, volunteer, home_start, mediation
):
    others = MatchFactory(case=CaseFactory(product=home_start))
    with pytest.raises(ValidationError) as error:
        register(volunteer, home_start, coordinator, match=others)
    assert "niet bij deze vrijwilliger" in error.value.message_dict["match"][0]
    volunteer.products.add(mediation)
    own_mediation = MatchFactory(volunteer=volunteer, case=CaseFactory(product=mediation))
    with pytest.raises(ValidationError) as error:
        register(volunteer, home_start, coordinator, match=own_mediation)
    assert "ander product" in error.value.message_dict["match"][0]
    assert not VolunteerHours.objects.exists()


def test_activity_must_be_of_the_product(coordinator, volunteer, home_start, mediation):
    from tests.factories import TeamFactory

    activity = GroupActivity.objects.create(
        product=mediation,
        name="Buurtkring",
        team=TeamFactory(),
        start_date=YESTERDAY,
        created_by=coordinator,
    )
    with pytest.raises(ValidationError) as error:
        register(volunteer, home_start, coordinator, activity=activity)
    assert "ander product" in error.value.message_dict["activity"][0]


# Views -------------------------------------------------------------------------------


def test_coordinator_registers_hours_with_dutch_comma(login, coordinator, volunteer, home_start):
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:add_hours", args=[volunteer.pk]),
        {"date": YESTERDAY.strftime("%d-%m-%Y"), "hours": "1,5", "product": home_start.pk},
    )
    assert response.status_code == 302
    assert VolunteerHours.objects.get().hours == Decimal("1.50")
    response = client.get(reverse("volunteers_registry:detail", args=[volunteer.pk]))
    assert YESTERDAY.strftime("%d-%m-%Y") in response.content.decode()
    assert len(response.context["hours"]) == 1


def test_bad_hours_get_dutch_message_on_detail_page(login, coordinator, volunteer, home_start):
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:add_hours", args=[volunteer.pk]),
        {"date": YESTERDAY.isoformat(), "hours": "1,1", "product": home_start.pk},
    )
    assert response.status_code == 400
    assert "Registreer uren in kwartieren" in response.content.decode()
    assert not VolunteerHours.objects.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER, Role.FUNCTIONAL_ADMIN])
def test_other_roles_cannot_register_hours(make_user, login, volunteer, home_start, role):
    client = login(make_user(role=role))
    response = client.post(
        reverse("volunteers_registry:add_hours", args=[volunteer.pk]),
        {"date": YESTERDAY.isoformat(), "hours": "1", "product": home_start.pk},
    )
    assert response.status_code == 403
    assert not VolunteerHours.objects.exists()


def test_only_a_coordinator_of_the_product_books_hours_on_it(coordinator, volunteer, mediation):
    volunteer.products.add(mediation)
    with pytest.raises(ValidationError) as error:
        register(volunteer, mediation, coordinator)
    assert error.value.message_dict["product"] == [
        "U kunt alleen uren boeken op producten die u coördineert."
    ]
    assert not VolunteerHours.objects.exists()
