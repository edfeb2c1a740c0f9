import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import PersonalDataAccess
from tests.cases_factories import CaseFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import (
    Availability,
    MatchStatus,
    ScreeningRule,
    TrainingType,
    Volunteer,
    VolunteerStatus,
    VolunteerTraining,
)
from volunteers.services.registry import (
    add_training,
    create_volunteer,
    expiring_for,
    registry_list,
    update_volunteer,
)

TODAY = datetime.date.today()
HOME_START = "home-start-en-home-start-plus"
MEDIATION = "buurt-en-groepsbemiddeling"


@pytest.fixture
def other_coordinator(make_user, mediation):
    user = make_user(role=Role.COORDINATOR)
    mediation.coordinators.add(user)
    return user


def valid_data(product, **overrides):
    data = {
        "first_name": "Fatima",
        "last_name_prefix": "",
        "last_name": "Bakker",
        "birth_date": datetime.date(1980, 5, 1),
        "phone": "06 12345678",
        "email": "fatima@example.nl",
        "postcode": "2132ab",
        "kern": None,
        "status": VolunteerStatus.ACTIVE,
        "products": [product],
        "kernen_served": [],
        "max_matches": 2,
        "languages": "Nederlands, Arabisch",
        "skills": "Geduldig",
        "wishes": "Werken met jonge gezinnen",
        "vog_date": TODAY - datetime.timedelta(days=10),
    }
    data.update(overrides)
    return data


def post_data(product, **overrides):
    data = {
        "first_name": "Fatima",
        "last_name": "Bakker",
        "birth_date": "01-05-1980",
        "status": "actief",
        "products": [product.pk],
        "max_matches": "2",
        "languages": "Nederlands, Arabisch",
        "vog_date": (TODAY - datetime.timedelta(days=10)).strftime("%d-%m-%Y"),
        "availability": ["0-ochtend", "2-avond"],
    }
    data.update(overrides)
    return data


# Services ----------------------------------------------------------------------------


def test_create_volunteer_saves_everything(coordinator, home_start, hoofddorp):
    volunteer = create_volunteer(
        data=valid_data(home_start, kern=hoofddorp, kernen_served=[hoofddorp]),
        availability={(0, "ochtend"), (4, "middag")},
        created_by=coordinator,
    )
    volunteer.refresh_from_db()
    assert volunteer.full_name == "Fatima Bakker"
    assert volunteer.postcode == "2132AB"
    assert volunteer.languages == ["Nederlands", "Arabisch"]
    assert list(volunteer.products.all()) == [home_start]
    assert list(volunteer.kernen_served.all()) == [hoofddorp]
    assert {(a.weekday, a.day_part) for a in volunteer.availability.all()} == {
        (0, "ochtend"),
        (4, "middag"),
    }
    assert volunteer.created_by == coordinator


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"vog_date": TODAY + datetime.timedelta(days=1)}, "vog_date", "toekomst"),
        ({"birth_date": TODAY - relativedelta(years=5)}, "birth_date", "minstens 12 jaar"),
        ({"birth_date": datetime.date(1890, 1, 1)}, "birth_date", "afgelopen 110 jaar"),
        ({"max_matches": 0}, "max_matches", "1 tot en met 20"),
        ({"max_matches": 21}, "max_matches", "1 tot en met 20"),
        ({"products": []}, "products", "minstens één product"),
        ({"first_name": ""}, "first_name", "voornaam"),
        ({"email": "geen-mail"}, "email", "e-mailadres"),
        ({"postcode": "12"}, "postcode", "postcode"),
    ],
)
def test_create_volunteer_rejects_bad_input_with_dutch_message(
    coordinator, home_start, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        create_volunteer(
            data=valid_data(home_start, **overrides), availability=set(), created_by=coordinator
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not Volunteer.objects.exists()


def test_only_own_products_can_be_chosen(coordinator, mediation):
    with pytest.raises(ValidationError) as error:
        create_volunteer(data=valid_data(mediation), availability=set(), created_by=coordinator)
    assert "zelf coördineert" in error.value.message_dict["products"][0]
    assert not Volunteer.objects.exists()


def test_bad_availability_slot_is_rejected(coordinator, home_start):
    with pytest.raises(ValidationError) as error:
        create_volunteer(
            data=valid_data(home_start), availability={(9, "nacht")}, created_by=coordinator
        )
    assert "availability" in error.value.message_dict


def test_update_volunteer_changes_data_and_bumps_version(coordinator, home_start):
    volunteer = create_volunteer(
        data=valid_data(home_start), availability={(0, "ochtend")}, created_by=coordinator
    )
    update_volunteer(
        volunteer=volunteer,
        data=valid_data(home_start, first_name="Fenna", status=VolunteerStatus.PAUSED),
        availability={(1, "avond")},
        changed_by=coordinator,
        expected_version=1,
    )
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Fenna"
    assert volunteer.status == VolunteerStatus.PAUSED
    assert volunteer.version == 2
    assert list(volunteer.availability.values_list("weekday", "day_part")) == [(1, "avond")]


def test_stale_update_overwrites_nothing(coordinator, home_start):
    volunteer = create_volunteer(
        data=valid_data(home_start), availability=set(), created_by=coordinator
    )
    update_volunteer(
        volunteer=volunteer,
        data=valid_data(home_start, first_name="Eerst"),
        availability=set(),
        changed_by=coordinator,
        expected_version=1,
    )
    with pytest.raises(ValidationError) as error:
        update_volunteer(
            volunteer=volunteer,
            data=valid_data(home_start, first_name="Later"),
            availability=set(),
            changed_by=coordinator,
            expected_version=1,
        )
    assert "Iemand anders heeft deze vrijwilliger intussen gewijzigd" in error.value.messages[0]
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Eerst"
    assert volunteer.version == 2


def test_update_keeps_products_of_other_coordinators(coordinator, home_start, mediation):
    volunteer = VolunteerFactory(products=[home_start, mediation])
    update_volunteer(
        volunteer=volunteer,
        data=valid_data(home_start),
        availability=set(),
        changed_by=coordinator,
        expected_version=volunteer.version,
    )
    assert set(volunteer.products.all()) == {home_start, mediation}


def test_add_training_rejects_future_date(coordinator, home_start):
    volunteer = VolunteerFactory(products=[home_start])
    training = TrainingType.objects.get(name="Home-Start training")
    with pytest.raises(ValidationError) as error:
        add_training(
            volunteer=volunteer,
            training=training,
            completed_on=TODAY + datetime.timedelta(days=1),
            added_by=coordinator,
        )
    assert "toekomst" in error.value.message_dict["completed_on"][0]
    assert not VolunteerTraining.objects.exists()


def test_registry_list_scopes_and_filters(coordinator, home_start, mediation):
    own = VolunteerFactory(products=[home_start], first_name="Anna", last_name="Eigen")
    unlinked = VolunteerFactory(first_name="Bram", last_name="Zonder")
    VolunteerFactory(products=[mediation], first_name="Carla", last_name="Ander")
    paused = VolunteerFactory(products=[home_start], status=VolunteerStatus.PAUSED)
    busy = VolunteerFactory(products=[home_start])
    MatchFactory(volunteer=busy, case=CaseFactory(product=home_start))
    ended = VolunteerFactory(products=[home_start])
    MatchFactory(
        volunteer=ended, case=CaseFactory(product=home_start), status=MatchStatus.COMPLETED
    )

    assert set(registry_list(coordinator)) == {own, unlinked, paused, busy, ended}
    assert list(registry_list(coordinator, name="eigen")) == [own]
    assert list(registry_list(coordinator, status=VolunteerStatus.PAUSED)) == [paused]
    assert set(registry_list(coordinator, product=home_start)) == {own, paused, busy, ended}
    assert set(registry_list(coordinator, without_match=True)) == {own, unlinked, ended}
    assert {v.pk: v.occupied for v in registry_list(coordinator)}[busy.pk] == 1


def test_expiring_lists_vog_and_trainings_expiring_within_60_days(
    coordinator, home_start, mediation
):
    rule = ScreeningRule.objects.get(product=home_start)
    rule.vog_max_age_months = 36
    rule.save()
    soon = VolunteerFactory(
        products=[home_start],
        last_name="Binnenkort",
        vog_date=TODAY - relativedelta(months=36) + datetime.timedelta(days=30),
    )
    expired = VolunteerFactory(
        products=[home_start],
        last_name="Verlopen",
        vog_date=TODAY - relativedelta(months=37),
    )
    VolunteerFactory(products=[home_start], last_name="Vers", vog_date=TODAY)
    VolunteerFactory(
        products=[home_start],
        status=VolunteerStatus.STOPPED,
        vog_date=TODAY - relativedelta(months=37),
    )
    VolunteerFactory(products=[mediation], vog_date=TODAY - relativedelta(months=37))
    first_aid = TrainingType.objects.create(name="EHBO", valid_for_months=12)
    trained = VolunteerFactory(products=[home_start], last_name="Getraind", vog_date=TODAY)
    VolunteerTraining.objects.create(
        volunteer=trained,
        training=first_aid,
        completed_on=TODAY - relativedelta(months=12) + datetime.timedelta(days=20),
    )
    refreshed = VolunteerFactory(products=[home_start], vog_date=TODAY)
    VolunteerTraining.objects.create(
        volunteer=refreshed, training=first_aid, completed_on=TODAY - relativedelta(months=13)
    )
    VolunteerTraining.objects.create(volunteer=refreshed, training=first_aid, completed_on=TODAY)

    rows = expiring_for(coordinator, today=TODAY)
    assert [(row.volunteer, row.what, row.expired) for row in rows] == [
        (expired, "VOG", True),
        (trained, "Training 'EHBO'", False),
        (soon, "VOG", False),
    ]
    assert rows[0].expires_on == expired.vog_date + relativedelta(months=36)
    assert rows[2].expires_on == TODAY + datetime.timedelta(days=30)


# Views: permissions ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER, Role.FUNCTIONAL_ADMIN])
@pytest.mark.parametrize("name", ["list", "create", "expiring"])
def test_other_roles_get_403(make_user, login, role, name):
    client = login(make_user(role=role))
    assert client.get(reverse(f"volunteers_registry:{name}")).status_code == 403


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER, Role.FUNCTIONAL_ADMIN])
def test_other_roles_get_403_on_detail(make_user, login, home_start, role):
    volunteer = VolunteerFactory(products=[home_start])
    client = login(make_user(role=role))
    assert client.get(reverse("volunteers_registry:detail", args=[volunteer.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("volunteers_registry:list"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["detail", "edit"])
def test_volunteer_of_other_coordinator_is_404(login, coordinator, mediation, name):
    volunteer = VolunteerFactory(products=[mediation])
    client = login(coordinator)
    response = client.get(reverse(f"volunteers_registry:{name}", args=[volunteer.pk]))
    assert response.status_code == 404


def test_training_and_hours_on_other_coordinators_volunteer_are_404(login, coordinator, mediation):
    volunteer = VolunteerFactory(products=[mediation])
    client = login(coordinator)
    training = TrainingType.objects.get(name="Bemiddelaarstraining")
    response = client.post(
        reverse("volunteers_registry:add_training", args=[volunteer.pk]),
        {"training": training.pk, "completed_on": "01-01-2024"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("volunteers_registry:add_hours", args=[volunteer.pk]),
        {"date": TODAY.isoformat(), "hours": "1", "product": mediation.pk},
    )
    assert response.status_code == 404
    assert not VolunteerTraining.objects.exists()


# Views: list -------------------------------------------------------------------------


def test_list_shows_rows_with_constant_query_count(
    login, coordinator, home_start, django_assert_max_num_queries
):
    client = login(coordinator)
    for _ in range(2):
        MatchFactory(
            volunteer=VolunteerFactory(products=[home_start], max_matches=3),
            case=CaseFactory(product=home_start),
        )
    client.get(reverse("volunteers_registry:list"))  # warm caches (session, permissions)
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("volunteers_registry:list"))
    assert response.status_code == 200
    for _ in range(8):
        volunteer = VolunteerFactory(products=[home_start], max_matches=3)
        MatchFactory(volunteer=volunteer, case=CaseFactory(product=home_start))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("volunteers_registry:list"))
    assert len(response.context["volunteers"]) == 10
    assert "1 / 3" in response.content.decode()


def test_list_filter_without_match(login, coordinator, home_start):
    free = VolunteerFactory(products=[home_start], last_name="Vrij")
    busy = VolunteerFactory(products=[home_start], last_name="Bezet")
    MatchFactory(volunteer=busy, case=CaseFactory(product=home_start))
    client = login(coordinator)
    response = client.get(reverse("volunteers_registry:list"), {"status": "zonder-koppeling"})
    assert list(response.context["volunteers"]) == [free]


def test_list_bad_filter_gets_dutch_message(login, coordinator):
    client = login(coordinator)
    response = client.get(reverse("volunteers_registry:list"), {"product": "999999"})
    assert response.status_code == 200
    assert "Kies een product uit de lijst." in response.content.decode()


# Views: create and edit --------------------------------------------------------------


def test_coordinator_creates_volunteer_with_dutch_dates(login, coordinator, home_start):
    client = login(coordinator)
    assert client.get(reverse("volunteers_registry:create")).status_code == 200
    response = client.post(reverse("volunteers_registry:create"), post_data(home_start))
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("volunteers_registry:detail", args=[volunteer.pk])
    assert volunteer.birth_date == datetime.date(1980, 5, 1)
    assert volunteer.languages == ["Nederlands", "Arabisch"]
    assert set(Availability.objects.values_list("weekday", "day_part")) == {
        (0, "ochtend"),
        (2, "avond"),
    }


def test_create_with_bad_input_shows_dutch_messages_and_saves_nothing(
    login, coordinator, home_start
):
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:create"),
        post_data(
            home_start,
            vog_date=(TODAY + datetime.timedelta(days=3)).isoformat(),
            max_matches="25",
            products=[],
        ),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "De datum van de VOG kan niet in de toekomst liggen." in content
    assert "Vul een aantal koppelingen van 1 tot en met 20 in." in content
    assert "Kies minstens één product" in content
    assert not Volunteer.objects.exists()


def test_create_with_unparseable_date_gets_dutch_message(login, coordinator, home_start):
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:create"), post_data(home_start, birth_date="31-02-1980")
    )
    assert "Vul een bestaande datum in" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_create_cannot_pick_product_of_other_coordinator(login, coordinator, mediation):
    client = login(coordinator)
    response = client.post(reverse("volunteers_registry:create"), post_data(mediation))
    assert response.status_code == 200
    assert not Volunteer.objects.exists()


def test_edit_form_shows_current_data_and_saves(login, coordinator, home_start):
    volunteer = VolunteerFactory(products=[home_start], first_name="Oud", languages=["Pools"])
    Availability.objects.create(volunteer=volunteer, weekday=3, day_part="middag")
    client = login(coordinator)
    url = reverse("volunteers_registry:edit", args=[volunteer.pk])
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Oud"' in content
    assert 'value="3-middag" id="id_availability_3_middag" checked' in content
    response = client.post(url, post_data(home_start, first_name="Nieuw", version="1"))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Nieuw"
    assert volunteer.version == 2


def test_stale_edit_shows_dutch_message(login, coordinator, home_start):
    volunteer = VolunteerFactory(products=[home_start], first_name="Oud")
    Volunteer.objects.filter(pk=volunteer.pk).update(version=2, first_name="Ander")
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:edit", args=[volunteer.pk]),
        post_data(home_start, first_name="Nieuw", version="1"),
    )
    assert response.status_code == 200
    assert "Iemand anders heeft deze vrijwilliger intussen gewijzigd" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.first_name == "Ander"


# Views: detail -----------------------------------------------------------------------


def test_detail_shows_screening_matches_and_logs_access(login, coordinator, home_start):
    volunteer = VolunteerFactory(products=[home_start], last_name="Jansen")
    case = CaseFactory(product=home_start)
    MatchFactory(volunteer=volunteer, case=case, status=MatchStatus.ACTIVE)
    client = login(coordinator)
    response = client.get(reverse("volunteers_registry:detail", args=[volunteer.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Training &#x27;Home-Start training&#x27; ontbreekt." in content
    assert "Actief" in content and home_start.name in content
    access = PersonalDataAccess.objects.get()
    assert access.user == coordinator and access.subject_id == str(volunteer.pk)


def test_volunteer_without_product_is_visible_to_every_coordinator(login, other_coordinator):
    volunteer = VolunteerFactory()
    client = login(other_coordinator)
    assert client.get(reverse("volunteers_registry:detail", args=[volunteer.pk])).status_code == 200


def test_adding_training_makes_volunteer_matchable(login, coordinator, home_start):
    volunteer = VolunteerFactory(products=[home_start])
    training = TrainingType.objects.get(name="Home-Start training")
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:add_training", args=[volunteer.pk]),
        {"training": training.pk, "completed_on": "02-03-2024"},
    )
    assert response.status_code == 302
    assert volunteer.trainings.get().completed_on == datetime.date(2024, 3, 2)
    response = client.get(reverse("volunteers_registry:detail", args=[volunteer.pk]))
    assert "Kan gekoppeld worden" in response.content.decode()


def test_adding_training_in_future_gets_dutch_message(login, coordinator, home_start):
    volunteer = VolunteerFactory(products=[home_start])
    training = TrainingType.objects.get(name="Home-Start training")
    client = login(coordinator)
    response = client.post(
        reverse("volunteers_registry:add_training", args=[volunteer.pk]),
        {"training": training.pk, "completed_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 400
    assert "Een afgeronde training kan niet in de toekomst liggen." in response.content.decode()
    assert not VolunteerTraining.objects.exists()


def test_expiring_page(login, coordinator, home_start):
    volunteer = VolunteerFactory(
        products=[home_start], last_name="Verlopen", vog_date=TODAY - relativedelta(months=40)
    )
    client = login(coordinator)
    response = client.get(reverse("volunteers_registry:expiring"))
    assert response.status_code == 200
    content = response.content.decode()
    assert escape(volunteer.full_name) in content
    assert "verlopen" in content


def test_expiring_page_query_count_does_not_grow_with_volunteers(
    login, coordinator, home_start, django_assert_max_num_queries
):
    old_vog = TODAY - relativedelta(months=40)
    VolunteerFactory(products=[home_start], vog_date=old_vog)
    client = login(coordinator)
    client.get(reverse("volunteers_registry:expiring"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("volunteers_registry:expiring"))
    for _ in range(10):
        VolunteerFactory(products=[home_start], vog_date=old_vog)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("volunteers_registry:expiring"))
    assert len(response.context["rows"]) == 11
