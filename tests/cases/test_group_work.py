"""Groepen en inloop: activities of the user's teams, their sessions, and anonymous
walk-in contacts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import ContactTopic, Partner
from cases.forms_group_work import AnonymousContactForm
from cases.models import AnonymousContact, ClosedPeriod, GroupActivity, GroupSession
from cases.services.group_work import (
    create_group_activity,
    register_anonymous_contact,
    register_group_session,
    week_bounds,
)
from catalogue.models import Area, Location
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.factories import TeamFactory

WINDOW_MESSAGE = registration_date_window().message

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
OVERVIEW_URL = reverse("groupwork:overview")
CREATE_URL = reverse("groupwork:activity_create")
CONTACT_URL = reverse("groupwork:contact_create")


@pytest.fixture
def hoofddorp(catalogue):
    return Area.objects.get(kind="kern", name="Hoofddorp")


@pytest.fixture
def pluspunt(hoofddorp):
    return Location.objects.create(name="PlusPunt Pax", kind="pluspunt", area=hoofddorp)


@pytest.fixture
def team():
    return TeamFactory(name="Team Hoofddorp")


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def activity(catalogue, team, worker, pluspunt):
    return create_group_activity(
        product=catalogue["ouder-en-kind-inloop-oki"],
        name="OKI Pax",
        team=team,
        location=pluspunt,
        start_date=TODAY - 60 * DAY,
        created_by=worker,
    )


def session(activity, user, **kwargs):
    data = {"date": TODAY - DAY, "participants": 10, "created_by": user, **kwargs}
    return register_group_session(activity=activity, **data)


# --- services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_activity_takes_the_kern_from_the_location(activity, hoofddorp, team):
    assert activity.team == team and activity.kern == hoofddorp and activity.is_active


@pytest.mark.django_db
def test_create_activity_validates_product_team_location_and_name(
    catalogue, worker, pluspunt, make_user
):
    pluspunt.is_active = False
    pluspunt.save()
    with pytest.raises(ValidationError) as error:
        create_group_activity(
            product=catalogue["1-5-gesprekken"],
            name=" ",
            team=TeamFactory(),
            location=pluspunt,
            start_date=TODAY,
            created_by=worker,
        )
    errors = error.value.message_dict
    assert errors["product"] == [
        "Kies een product dat per groep, cursus, activiteit of bijeenkomst werkt."
    ]
    assert errors["team"] == ["Kies een van je eigen teams."]
    assert errors["location"] == ["Deze locatie is niet (meer) in gebruik."]
    assert errors["name"] == ["Geef de activiteit een naam."]
    assert not GroupActivity.objects.exists()


@pytest.mark.django_db
def test_activity_names_are_unique_within_a_team(activity, catalogue, team, worker):
    with pytest.raises(ValidationError) as error:
        create_group_activity(
            product=catalogue["meerbabbels"],
            name="oki pax",
            team=team,
            start_date=TODAY,
            created_by=worker,
        )
    assert error.value.message_dict["name"] == [
        "Dit team heeft al een lopende activiteit met deze naam."
    ]


@pytest.mark.django_db
def test_register_session_counts_participants(activity, worker):
    saved = session(activity, worker, participants=12, new_participants=3, volunteers=2)
    assert (saved.participants, saved.new_participants, saved.volunteers) == (12, 3, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"date": TODAY + DAY}, "date", WINDOW_MESSAGE),
        (
            {"date": TODAY - 61 * DAY},
            "date",
            "De bijeenkomst ligt vóór de startdatum van de activiteit",
        ),
        ({"participants": 10001}, "participants", "Het aantal deelnemers ligt tussen 0 en 10000."),
        ({"participants": -1}, "participants", "Het aantal deelnemers ligt tussen 0 en 10000."),
        (
            {"participants": 5, "new_participants": 6},
            "new_participants",
            "Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers.",
        ),
    ],
)
def test_register_session_rejects_bad_input_and_saves_nothing(
    activity, worker, kwargs, field, message
):
    with pytest.raises(ValidationError) as error:
        session(activity, worker, **kwargs)
    assert error.value.message_dict[field][0].startswith(message)
    assert not GroupSession.objects.exists()


@pytest.mark.django_db
def test_register_session_only_for_the_users_teams_and_open_periods(activity, worker, make_user):
    outsider = make_user(role=Role.SOCIAL_WORKER, teams=[TeamFactory()])
    with pytest.raises(ValidationError) as error:
        session(activity, outsider)
    assert "Deze activiteit hoort niet bij een van je teams." in error.value.messages
    ClosedPeriod.objects.create(start_date=TODAY - 10 * DAY, end_date=TODAY - DAY, closed_by=worker)
    with pytest.raises(ValidationError) as error:
        session(activity, worker, date=TODAY - 2 * DAY)
    assert "is afgesloten voor de rapportage" in error.value.message_dict["date"][0]
    assert not GroupSession.objects.exists()


@pytest.mark.django_db
def test_register_anonymous_contact_for_spreekuur_in_de_wijk(catalogue, pluspunt, worker):
    contact = register_anonymous_contact(
        date=TODAY,
        location=pluspunt,
        topic=ContactTopic.FORMS,
        referred_on=True,
        referred_to=Partner.LEGAL_AID,
        registered_by=worker,
    )
    assert contact.product == catalogue["spreekuur-in-de-wijk"]
    assert (contact.topic, contact.referred_to) == ("formulieren", "juridisch_loket")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"referred_on": True}, "referred_to", "Kies naar wie is doorverwezen."),
        (
            {"referred_to": Partner.GGZ},
            "referred_to",
            "Laat 'doorverwezen naar' leeg als er niet is doorverwezen.",
        ),
        ({"date": TODAY + DAY}, "date", WINDOW_MESSAGE),
        ({"topic": "roddel"}, "topic", "Kies een onderwerp uit de lijst."),
    ],
)
def test_register_anonymous_contact_rejects_bad_input(
    catalogue, pluspunt, worker, kwargs, field, message
):
    data = {
        "date": TODAY,
        "location": pluspunt,
        "topic": ContactTopic.MONEY,
        "referred_on": False,
        "registered_by": worker,
        **kwargs,
    }
    with pytest.raises(ValidationError) as error:
        register_anonymous_contact(**data)
    assert error.value.message_dict[field] == [message]
    assert not AnonymousContact.objects.exists()


@pytest.mark.django_db
def test_anonymous_contact_at_an_inactive_location_is_refused(catalogue, pluspunt, worker):
    pluspunt.is_active = False
    pluspunt.save()
    with pytest.raises(ValidationError) as error:
        register_anonymous_contact(
            date=TODAY,
            location=pluspunt,
            topic="geldzaken",
            referred_on=False,
            registered_by=worker,
        )
    assert error.value.message_dict["location"] == ["Deze locatie is niet (meer) in gebruik."]


def test_the_walk_in_form_has_no_personal_data_fields():
    assert set(AnonymousContactForm.base_fields) == {
        "date",
        "location",
        "topic",
        "referred_on",
        "referred_to",
    }


# --- views ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_social_workers_and_coordinators_use_group_work_pages(client, login, make_user, team, role):
    login(make_user(role=role, teams=[team]))
    for url in (OVERVIEW_URL, CREATE_URL, CONTACT_URL):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_manager_is_refused_and_anonymous_sent_to_login(client, login, make_user, activity):
    urls = [
        OVERVIEW_URL,
        CREATE_URL,
        CONTACT_URL,
        reverse("groupwork:activity_detail", args=[activity.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response.url
    login(make_user(role=Role.MANAGER))
    for url in urls:
        assert client.get(url).status_code == 403
    response = client.post(reverse("groupwork:session_create", args=[activity.pk]), {})
    assert response.status_code == 403


@pytest.mark.django_db
def test_other_teams_activity_is_404(client, login, make_user, activity):
    login(make_user(role=Role.SOCIAL_WORKER, teams=[TeamFactory()]))
    assert client.get(reverse("groupwork:activity_detail", args=[activity.pk])).status_code == 404
    response = client.post(
        reverse("groupwork:session_create", args=[activity.pk]),
        {"date": TODAY.isoformat(), "participants": "8"},
    )
    assert response.status_code == 404
    assert not GroupSession.objects.exists()
    assert client.get(OVERVIEW_URL).context["activities"] == []


@pytest.mark.django_db
def test_create_activity_through_the_form(client, login, worker, catalogue, pluspunt, team):
    login(worker)
    response = client.post(
        CREATE_URL,
        {
            "product": catalogue["themabijeenkomsten"].pk,
            "name": "Themabijeenkomst mantelzorg",
            "team": team.pk,
            "location": pluspunt.pk,
            "kern": "",
            "start_date": (TODAY - 7 * DAY).strftime("%d-%m-%Y"),
        },
    )
    activity = GroupActivity.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("groupwork:activity_detail", args=[activity.pk])
    assert activity.start_date == TODAY - 7 * DAY and activity.created_by == worker


@pytest.mark.django_db
def test_create_activity_bad_input_gets_dutch_messages(client, login, worker, catalogue):
    login(worker)
    response = client.post(
        CREATE_URL,
        {
            "product": catalogue["1-5-gesprekken"].pk,
            "name": "",
            "team": TeamFactory().pk,
            "start_date": "32-13-2025",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Geef de activiteit een naam." in content
    assert "Vul een bestaande datum in" in content
    assert "Kies een product uit de lijst." in content
    assert "Kies een van je eigen teams." in content
    assert not GroupActivity.objects.exists()


@pytest.mark.django_db
def test_activity_page_registers_a_session_in_place(client, login, worker, activity):
    session(activity, worker, participants=9, new_participants=2, volunteers=1)
    login(worker)
    url = reverse("groupwork:activity_detail", args=[activity.pk])
    response = client.post(
        reverse("groupwork:session_create", args=[activity.pk]),
        {
            "date": TODAY.strftime("%d-%m-%Y"),
            "participants": "11",
            "new_participants": "",
            "volunteers": "2",
            "note": "Thema slapen",
        },
    )
    assert response.status_code == 302 and response.url == url
    response = client.get(url)
    totals = response.context["totals"]
    assert (totals.sessions, totals.participants, totals.new_participants, totals.volunteers) == (
        2,
        20,
        2,
        3,
    )
    assert "Thema slapen" in response.content.decode()


@pytest.mark.django_db
def test_session_form_bad_input_gets_dutch_messages_and_saves_nothing(
    client, login, worker, activity
):
    login(worker)
    url = reverse("groupwork:session_create", args=[activity.pk])
    response = client.post(
        url, {"date": (TODAY + DAY).isoformat(), "participants": "4", "new_participants": "5"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert WINDOW_MESSAGE in content
    assert "Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers." in content
    response = client.post(url, {"date": TODAY.isoformat(), "participants": "twaalf"})
    assert "Vul een heel getal in, bijvoorbeeld 12." in response.content.decode()
    response = client.post(url, {"date": TODAY.isoformat(), "participants": "20000"})
    assert "Een aantal is hooguit 10000." in response.content.decode()
    assert not GroupSession.objects.exists()


@pytest.mark.django_db
def test_overview_shows_this_years_sessions_and_participants(client, login, worker, activity):
    session(activity, worker, date=TODAY - DAY, participants=10)
    session(activity, worker, date=TODAY, participants=5)
    old = GroupSession.objects.create(
        activity=activity,
        date=datetime.date(TODAY.year - 1, 12, 31),
        participants=99,
        created_by=worker,
    )
    assert old.pk
    login(worker)
    [row] = client.get(OVERVIEW_URL).context["activities"]
    assert (row.sessions_this_year, row.participants_this_year) == (2, 15)
    assert row.last_session_on == TODAY


@pytest.mark.django_db
def test_walk_in_contact_through_the_quick_form_and_weekly_counts(
    client, login, worker, pluspunt, catalogue
):
    login(worker)
    for topic in ("geldzaken", "geldzaken", "wonen"):
        response = client.post(
            CONTACT_URL,
            {
                "date": TODAY.strftime("%d-%m-%Y"),
                "location": pluspunt.pk,
                "topic": topic,
                "referred_on": "nee",
                "referred_to": "",
            },
        )
        assert response.status_code == 302 and response.url == OVERVIEW_URL
    # Last week's contact does not count in this week's block.
    AnonymousContact.objects.create(
        date=week_bounds(TODAY)[0] - DAY,
        location=pluspunt,
        product=catalogue["spreekuur-in-de-wijk"],
        topic="wonen",
        registered_by=worker,
    )
    response = client.get(OVERVIEW_URL)
    [week] = response.context["walk_in_weeks"]
    assert (week.location_name, week.total) == ("PlusPunt Pax", 3)
    assert week.topics == [("Geldzaken", 2), ("Wonen en buren", 1)]
    # The next contact form remembers the location.
    assert response.context["contact_form"].initial["location"] == pluspunt.pk


@pytest.mark.django_db
def test_walk_in_contact_bad_input_gets_dutch_messages(client, login, worker, pluspunt, catalogue):
    login(worker)
    response = client.post(
        CONTACT_URL,
        {
            "date": TODAY.isoformat(),
            "location": pluspunt.pk,
            "topic": "geldzaken",
            "referred_on": "ja",
            "referred_to": "",
            "terug": "formulier",
        },
    )
    assert response.status_code == 200
    assert "Kies naar wie is doorverwezen." in response.content.decode()
    response = client.post(CONTACT_URL, {"date": "", "location": "", "topic": ""})
    content = response.content.decode()
    assert "Vul de datum in." in content and "Kies de locatie." in content
    assert "Kies een onderwerp." in content
    assert not AnonymousContact.objects.exists()
    response = client.post(
        CONTACT_URL,
        {
            "date": TODAY.isoformat(),
            "location": pluspunt.pk,
            "topic": "geldzaken",
            "referred_on": "ja",
            "referred_to": "schuldhulpverlening",
            "terug": "formulier",
        },
    )
    assert response.status_code == 302 and response.url == CONTACT_URL
    assert AnonymousContact.objects.get().referred_to == Partner.DEBT_COUNSELLING


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_overview_query_count_does_not_grow_with_rows(
    client, login, worker, activity, catalogue, team, hoofddorp, django_assert_max_num_queries
):
    session(activity, worker)
    login(worker)
    baseline = _query_count(client, OVERVIEW_URL)
    for number in range(5):
        location = Location.objects.create(
            name=f"Buurthuis {number}", kind="buurthuis", area=hoofddorp
        )
        other = create_group_activity(
            product=catalogue["meerbabbels"],
            name=f"MeerBabbels {number}",
            team=team,
            location=location,
            start_date=TODAY - 30 * DAY,
            created_by=worker,
        )
        session(other, worker)
        session(other, worker, date=TODAY)
        for topic in ("geldzaken", "zorg"):
            register_anonymous_contact(
                date=TODAY, location=location, topic=topic, referred_on=False, registered_by=worker
            )
    with django_assert_max_num_queries(baseline):
        response = client.get(OVERVIEW_URL)
    assert len(response.context["activities"]) == 6
    assert len(response.context["walk_in_weeks"]) == 5


@pytest.mark.django_db
def test_activity_page_query_count_does_not_grow_with_sessions(
    client, login, worker, activity, django_assert_max_num_queries
):
    session(activity, worker)
    login(worker)
    url = reverse("groupwork:activity_detail", args=[activity.pk])
    baseline = _query_count(client, url)
    for days_ago in range(2, 30):
        session(activity, worker, date=TODAY - days_ago * DAY)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.context["totals"].sessions == 29


@pytest.mark.django_db
def test_a_coordinator_without_a_team_is_told_so(client, login, make_user):
    login(make_user(role=Role.COORDINATOR))
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    assert "Je hoort nog bij geen team." in response.content.decode()
