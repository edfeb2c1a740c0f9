import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from cases.models import Consent
from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import PersonalDataAccess
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Badhoevedorp")


@pytest.fixture
def worker(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def person(team, catalogue):
    return ClientFactory(
        first_name="Willem", last_name="de Boer", team=team, birth_date=datetime.date(1950, 5, 6)
    )


def edit_data(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat(),
        "postcode": person.postcode,
        "house_number": person.house_number or "",
        "lives_in_haarlemmermeer": "on",
        "version": person.version,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_client_page_is_logged_and_other_teams_get_404(client, login, person, worker, make_user):
    login(UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Dorpen")]))
    assert client.get(reverse("cases:client_detail", args=[person.pk])).status_code == 404
    client.logout()
    login(make_user(role=Role.MANAGER))
    assert client.get(reverse("cases:client_detail", args=[person.pk])).status_code == 403
    client.logout()
    login(worker)
    response = client.get(reverse("cases:client_detail", args=[person.pk]))
    assert response.status_code == 200 and "Willem de Boer" in response.content.decode()
    assert PersonalDataAccess.objects.filter(user=worker, subject_id=str(person.pk)).count() == 1


@pytest.mark.django_db
def test_a_case_in_my_team_makes_another_teams_client_visible(
    client, login, worker, team, catalogue
):
    elsewhere = ClientFactory(team=TeamFactory(name="Team Dorpen"))
    login(worker)
    assert client.get(reverse("cases:client_detail", args=[elsewhere.pk])).status_code == 404
    CaseFactory(client=elsewhere, team=team)
    assert client.get(reverse("cases:client_detail", args=[elsewhere.pk])).status_code == 200


@pytest.mark.django_db
def test_correcting_personal_data_is_audited(client, login, person, worker):
    login(worker)
    response = client.post(
        reverse("cases:client_edit", args=[person.pk]), edit_data(person, last_name="Boer")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Boer" and person.version == 2
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).first()
    assert entry.actor == worker and "last_name" in entry.changes_dict


@pytest.mark.django_db
def test_a_stale_edit_is_refused_instead_of_overwriting(client, login, person, worker):
    login(worker)
    stale = edit_data(person, last_name="Eerste")
    client.post(
        reverse("cases:client_edit", args=[person.pk]), edit_data(person, last_name="Tweede")
    )
    response = client.post(reverse("cases:client_edit", args=[person.pk]), stale)
    assert response.status_code == 200
    assert "Iemand anders heeft deze cliënt intussen gewijzigd" in response.content.decode()
    person.refresh_from_db()
    assert person.last_name == "Tweede"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Vul de voornaam in."),
        ({"postcode": "12"}, "Vul een Nederlandse postcode in"),
        ({"birth_date": "2999-01-01"}, "De geboortedatum ligt in de toekomst."),
    ],
)
def test_bad_corrections_get_dutch_messages(client, login, person, worker, changes, message):
    login(worker)
    response = client.post(
        reverse("cases:client_edit", args=[person.pk]), edit_data(person, **changes)
    )
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Willem" and person.version == 1


@pytest.mark.django_db
def test_consent_is_recorded_and_withdrawn_never_deleted(client, login, person, worker):
    login(worker)
    client.post(
        reverse("cases:consent_record", args=[person.pk]),
        {"purpose": "delen_verwijzer", "given": "ja"},
    )
    consent = Consent.objects.get(client=person)
    assert consent.given and consent.recorded_by == worker
    client.post(reverse("cases:consent_withdraw", args=[person.pk, consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == worker
    again = client.post(
        reverse("cases:consent_withdraw", args=[person.pk, consent.pk]), follow=True
    )
    assert "niet (meer) van kracht" in again.content.decode()
    bad = client.post(
        reverse("cases:consent_record", args=[person.pk]),
        {"purpose": "verkopen", "given": "ja"},
        follow=True,
    )
    assert "Onbekend doel" in bad.content.decode()
    assert Consent.objects.filter(client=person).count() == 1


@pytest.mark.django_db
def test_client_search_by_name_and_birth_date_with_constant_queries(
    client, login, team, worker, catalogue, django_assert_max_num_queries
):
    ClientFactory(
        first_name="Annie", last_name="Visser", team=team, birth_date=datetime.date(1944, 1, 2)
    )
    login(worker)
    url = reverse("cases:client_list")
    assert [c.last_name for c in client.get(url, {"q": "viss"}).context["clients"]] == ["Visser"]
    assert len(client.get(url, {"q": "02-01-1944"}).context["clients"]) == 1
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    ClientFactory.create_batch(25, team=team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_my_work_shows_my_cases_waiting_list_and_follow_ups(
    client, login, team, worker, catalogue, make_user
):
    from cases.models import FollowUp, HourRegistration

    mine = CaseFactory(client__team=team, team=team, responsible_worker=worker, status="actief")
    waiting = CaseFactory(
        client__team=team, team=team, status="wachtlijst", waiting_since=datetime.date.today()
    )
    FollowUp.objects.create(case=mine, kind="evaluatie", due_on=datetime.date.today())
    HourRegistration.objects.create(
        worker=worker,
        date=datetime.date.today(),
        hours="2.50",
        product=mine.product,
        kind="direct",
        created_by=worker,
    )
    login(worker)
    response = client.get(reverse("cases:my_work"))
    assert response.context["my_cases"] == [mine]
    assert response.context["waiting"] == [waiting]
    assert [f.case for f in response.context["follow_ups"]] == [mine]
    assert "2,5" in response.content.decode()
    client.logout()
    login(make_user(role=Role.COORDINATOR))
    assert client.get(reverse("cases:my_work")).status_code == 403


@pytest.mark.django_db
def test_clients_are_linked_into_one_household_and_can_leave(client, login, team, worker, person):
    partner = ClientFactory(first_name="Els", last_name="de Boer", team=team)
    login(worker)
    client.post(reverse("cases:household_link", args=[person.pk]), {"other": partner.pk})
    person.refresh_from_db()
    partner.refresh_from_db()
    assert person.household_id and person.household_id == partner.household_id
    page = client.get(reverse("cases:client_detail", args=[person.pk])).content.decode()
    assert "Els de Boer" in page
    stranger = ClientFactory(team=TeamFactory(name="Team Dorpen"))
    refused = client.post(
        reverse("cases:household_link", args=[person.pk]), {"other": stranger.pk}, follow=True
    )
    assert "Kies een cliënt uit uw teams." in refused.content.decode()
    client.post(reverse("cases:household_leave", args=[partner.pk]))
    partner.refresh_from_db()
    assert partner.household_id is None
