import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.choices import CaseStatus, ConsentPurpose
from cases.models import Case, CaseStatusChange, Client, Consent
from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import AccessAction, PersonalDataAccess
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory, UserFactory

INTAKE_URL = reverse("cases:intake")


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Hoofddorp")


@pytest.fixture
def worker(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def worker_client(client, login, worker, catalogue):
    return login(worker)


def intake_data(catalogue, team, worker, **changes) -> dict:
    data = {
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
        "question": "Zorgen over schulden en slapen slecht.",
        "life_domains": ["financien", "geestelijke_gezondheid"],
        "is_caregiver": "on",
        "team": team.pk,
        "responsible_worker": worker.pk,
        "start_status": "intake",
        "registered_on": datetime.date.today().isoformat(),
        "consent_registration": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_intake_page_is_for_social_workers_only(client, login, make_user, team):
    assert client.get(INTAKE_URL).status_code == 302
    for role in (Role.COORDINATOR, Role.MANAGER, Role.FUNCTIONAL_ADMIN):
        login(make_user(role=role))
        assert client.get(INTAKE_URL).status_code == 403
    login(make_user(role=Role.SOCIAL_WORKER, teams=[team]))
    assert client.get(INTAKE_URL).status_code == 200


@pytest.mark.django_db
def test_intake_creates_client_consent_and_case_in_one_go(worker_client, catalogue, team, worker):
    response = worker_client.post(INTAKE_URL, intake_data(catalogue, team, worker))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == reverse("cases:case_detail", args=[case.pk])
    client = case.client
    assert client.full_name == "Samira Bouzid"
    assert client.postcode == "2132AB" and client.pc4 == "2132"
    assert client.kern.name == "Hoofddorp"  # derived from the postcode
    assert case.status == CaseStatus.INTAKE
    assert case.is_caregiver and not case.caregiver_overburdened
    assert case.life_domains == ["financien", "geestelijke_gezondheid"]
    assert case.confirmed_criteria == catalogue["1-5-gesprekken"].judgement_criteria
    consent = Consent.objects.get(client=client)
    assert consent.purpose == ConsentPurpose.REGISTRATION and consent.given
    assert consent.recorded_by == worker and consent.text_version == "2026-1"
    change = CaseStatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status, change.changed_by) == ("", "intake", worker)
    assert LogEntry.objects.get_for_object(client).exists()
    assert LogEntry.objects.get_for_object(case).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Vul de voornaam in."),
        ({"birth_date": "2999-01-01"}, "De geboortedatum ligt in de toekomst."),
        ({"birth_date": "31-02-1990"}, "Vul een bestaande datum in"),
        ({"postcode": "ABCD 12"}, "Vul een Nederlandse postcode in"),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in."),
        ({"product": ""}, "Kies een product."),
        ({"referral_source": ""}, "Kies een verwijzer."),
        ({"question": ""}, "Beschrijf de hulpvraag."),
        (
            {"is_caregiver": None, "caregiver_overburdened": "on"},
            "Alleen een mantelzorger kan overbelast zijn.",
        ),
        ({"consent_registration": None}, "Zonder toestemming voor registratie"),
        ({"confirmed_criteria": []}, "Bevestig alle criteria van het product"),
        ({"lives_in_haarlemmermeer": None}, "Alleen voor inwoners van Haarlemmermeer."),
        ({"house_number": "12a"}, "Een huisnummer is een getal"),
    ],
)
def test_bad_intake_input_gets_a_dutch_message_and_saves_nothing(
    worker_client, catalogue, team, worker, changes, message
):
    response = worker_client.post(INTAKE_URL, intake_data(catalogue, team, worker, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0 and Client.objects.count() == 0
    assert Consent.objects.count() == 0


@pytest.mark.django_db
def test_a_person_who_does_not_fit_the_product_gets_an_explanation(
    worker_client, catalogue, team, worker
):
    data = intake_data(
        catalogue, team, worker, product=catalogue["stacks"].pk, confirmed_criteria=[]
    )
    response = worker_client.post(INTAKE_URL, data)
    content = response.content.decode()
    assert "Stacks past niet bij deze cliënt" in content
    assert "Tot en met 17 jaar" in content
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_another_teams_worker_cannot_be_responsible(worker_client, catalogue, team, worker):
    outsider = UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Dorpen")])
    response = worker_client.post(
        INTAKE_URL, intake_data(catalogue, team, worker, responsible_worker=outsider.pk)
    )
    assert response.status_code == 200
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_registering_for_another_team_is_refused(worker_client, catalogue, team, worker):
    other = TeamFactory(name="Team Dorpen")
    response = worker_client.post(INTAKE_URL, intake_data(catalogue, other, worker))
    assert response.status_code == 200
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_possible_duplicate_is_shown_and_nothing_saved_until_confirmed(
    worker_client, catalogue, team, worker
):
    existing = ClientFactory(
        first_name="Samira",
        last_name="Bouzid",
        birth_date=datetime.date(1984, 3, 14),
        team=team,
        postcode="2133CD",
        house_number=5,
    )
    data = intake_data(catalogue, team, worker, first_name="Samirah")
    response = worker_client.post(INTAKE_URL, data)
    content = response.content.decode()
    assert "Mogelijk is deze cliënt al bekend" in content
    assert f'value="{existing.pk}"' in content
    assert "zelfde naam en geboortedatum" in content
    assert Client.objects.count() == 1 and Case.objects.count() == 0

    confirmed = worker_client.post(INTAKE_URL, {**data, "confirm_new_client": "on"})
    assert confirmed.status_code == 302
    assert Client.objects.count() == 2


@pytest.mark.django_db
def test_same_address_and_surname_is_a_possible_duplicate(worker_client, catalogue, team, worker):
    ClientFactory(
        first_name="Yusuf", last_name="Bouzid", postcode="2132AB", house_number=12, team=team
    )
    response = worker_client.post(INTAKE_URL, intake_data(catalogue, team, worker))
    assert "zelfde achternaam, postcode en huisnummer" in response.content.decode()
    assert Case.objects.count() == 0


DUPLICATES_URL = reverse("cases:intake_duplicates")


def logged_views(user, client) -> int:
    return PersonalDataAccess.objects.filter(
        user=user,
        subject_type=ContentType.objects.get_for_model(Client),
        subject_id=str(client.pk),
        action=AccessAction.VIEWED,
    ).count()


@pytest.fixture
def elsewhere(db):
    """A resident known to another team only."""
    return ClientFactory(
        first_name="Samira",
        last_name_prefix="el",
        last_name="Bouzid",
        birth_date=datetime.date(1984, 3, 14),
        postcode="2132AB",
        house_number=12,
        street="Geheimstraat",
        team=TeamFactory(name="Team Nieuw-Vennep"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        {"postcode": "2132 AB", "house_number": "12"},
        {"birth_date": "14-03-1984", "last_name": "Bouzid"},
        {"birth_date": "14-03-1984", "first_name": "Samira"},
        {"birth_date": "14-03-1984", "first_name": "Fatima", "last_name": "Bouzid"},
        {"postcode": "2132 AB", "house_number": "12", "first_name": "Samira"},
        {"postcode": "2132 AB", "house_number": "12", "last_name": "Hansen"},
        {"postcode": "2132 AB", "house_number": "14", "last_name": "Bouzid"},
        {"first_name": "Samira", "last_name": "Bouzid"},
    ],
)
def test_a_partial_match_says_nothing_and_logs_nothing(worker_client, worker, elsewhere, typed):
    """Address alone, birth date and surname alone: that is a lookup, not a duplicate."""
    response = worker_client.get(DUPLICATES_URL, typed)

    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert logged_views(worker, elsewhere) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        {"first_name": "Samira", "last_name": "Bouzid", "birth_date": "14-03-1984"},
        {"first_name": "samirah ", "last_name": "EL BOUZID", "birth_date": "1984-03-14"},
        {"last_name": "Bouzid", "postcode": "2132ab", "house_number": "12"},
        {"last_name_prefix": "El", "last_name": "Bouzid", "postcode": "2132 AB",
         "house_number": "12"},
    ],
)  # fmt: skip
def test_another_teams_match_says_only_that_another_team_may_know_the_person(
    worker_client, worker, elsewhere, typed
):
    response = worker_client.get(DUPLICATES_URL, typed)

    content = response.content.decode()
    assert "mogelijk bekend bij een ander team" in content
    for secret in ("Nieuw-Vennep", "Samira", "Geheimstraat", "14-03-1984", str(elsewhere.pk)):
        assert secret not in content
    assert 'name="existing_client"' not in content
    assert "(zelfde" not in content  # not even which details matched
    assert logged_views(worker, elsewhere) == 1


@pytest.mark.django_db
def test_several_matches_elsewhere_are_one_sentence_without_a_count(
    worker_client, worker, elsewhere
):
    twin = ClientFactory(
        first_name="Samira",
        last_name="Bouzid",
        birth_date=datetime.date(1984, 3, 14),
        team=TeamFactory(name="Team Dorpen"),
    )
    response = worker_client.get(
        DUPLICATES_URL, {"first_name": "Samira", "last_name": "Bouzid", "birth_date": "14-03-1984"}
    )

    content = response.content.decode()
    assert content.count("mogelijk bekend bij een ander team") == 1
    assert "Dorpen" not in content and "Nieuw-Vennep" not in content
    assert logged_views(worker, elsewhere) == logged_views(worker, twin) == 1


@pytest.mark.django_db
def test_an_own_teams_match_names_the_client_to_choose_and_is_logged(
    worker_client, team, worker, elsewhere
):
    own = ClientFactory(
        first_name="Samira",
        last_name="de Bouzid",
        birth_date=datetime.date(1984, 3, 14),
        street="Kruisweg",
        house_number=7,
        team=team,
    )
    response = worker_client.get(
        DUPLICATES_URL,
        {"first_name": "Samira", "last_name": "Bouzid", "birth_date": "14-03-1984"},
    )

    content = response.content.decode()
    assert f'name="existing_client" value="{own.pk}"' in content
    assert "Samira de Bouzid, 14-03-1984, Kruisweg 7" in content
    assert "(zelfde naam en geboortedatum)" in content
    # The other team's match is still only the sentence.
    assert "mogelijk bekend bij een ander team" in content
    assert "Geheimstraat" not in content
    assert logged_views(worker, own) == 1 and logged_views(worker, elsewhere) == 1


@pytest.mark.django_db
def test_a_confirmed_new_client_is_not_checked_again(worker_client, catalogue, team, worker):
    known = ClientFactory(
        first_name="Samira", last_name="Bouzid", birth_date=datetime.date(1984, 3, 14), team=team
    )
    data = intake_data(catalogue, team, worker)
    assert worker_client.post(INTAKE_URL, data).status_code == 200
    assert logged_views(worker, known) == 1

    confirmed = worker_client.post(INTAKE_URL, {**data, "confirm_new_client": "on"})

    assert confirmed.status_code == 302
    assert logged_views(worker, known) == 1


@pytest.mark.django_db
def test_intake_for_an_existing_client_reuses_the_client_and_its_consent(
    worker_client, catalogue, team, worker
):
    existing = CaseFactory(client__team=team, team=team, responsible_worker=worker).client
    Consent.objects.create(
        client=existing,
        purpose="registratie",
        given=True,
        text_version="2026-1",
        recorded_by=worker,
    )
    data = intake_data(
        catalogue,
        team,
        worker,
        existing_client=existing.pk,
        first_name="",
        last_name="",
        birth_date="",
        consent_registration=None,
        lives_in_haarlemmermeer=None,
    )
    existing.lives_in_haarlemmermeer = True
    existing.save()
    response = worker_client.post(INTAKE_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Client.objects.count() == 1
    assert existing.cases.count() == 2


@pytest.mark.django_db
def test_an_invisible_client_cannot_be_picked(worker_client, catalogue, team, worker):
    stranger = ClientFactory(team=TeamFactory(name="Team Dorpen"))
    data = intake_data(catalogue, team, worker, existing_client=stranger.pk)
    response = worker_client.post(INTAKE_URL, data)
    assert "Deze cliënt is niet gevonden." in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_criteria_partial_lists_checklist_for_product_and_person(worker_client, catalogue):
    response = worker_client.get(
        reverse("cases:intake_criteria"),
        {
            "product": catalogue["home-start-en-home-start-plus"].pk,
            "birth_date": "1990-01-01",
            "lives_in_haarlemmermeer": "on",
        },
    )
    content = response.content.decode()
    assert "Woont er een kind jonger dan 7 jaar in het gezin?" in content
    assert "Gezin staat open voor ondersteuning door Home-Start" in content


@pytest.mark.django_db
def test_client_search_finds_only_own_teams_clients(worker_client, team):
    ClientFactory(first_name="Joke", last_name="Smit", team=team)
    ClientFactory(first_name="Joke", last_name="Smit-Anders", team=TeamFactory(name="Team Dorpen"))
    response = worker_client.get(reverse("cases:client_search"), {"client_query": "smit"})
    assert [c.last_name for c in response.context["clients"]] == ["Smit"]
