import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.choices import CaseStatus, Partner
from cases.models import CaseOutcome, CaseStatusChange, Consent, Contact, OutcomeScore, Referral
from cases.services import case_flow
from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import PersonalDataAccess
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory
from tests.factories import TeamFactory, UserFactory

WINDOW_MESSAGE = registration_date_window().message

TODAY = datetime.date.today()


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Nieuw-Vennep")


@pytest.fixture
def worker(team):
    return UserFactory(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def case(catalogue, team, worker):
    return CaseFactory(
        client__team=team, team=team, responsible_worker=worker, status=CaseStatus.INTAKE
    )


def test_status_flow_allows_only_the_defined_transitions(case, worker):
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    with pytest.raises(ValidationError, match="kan niet naar 'Aangemeld'"):
        case_flow.change_case_status(case=case, to_status=CaseStatus.REGISTERED, changed_by=worker)
    change = CaseStatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status, change.changed_by) == ("intake", "actief", worker)


def test_waiting_list_records_since_when(case, worker):
    case_flow.change_case_status(case=case, to_status=CaseStatus.WAITING_LIST, changed_by=worker)
    case.refresh_from_db()
    assert case.waiting_since == TODAY
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    case.refresh_from_db()
    assert case.waiting_since is None


def test_closing_needs_an_active_case_and_records_outcome_and_scores(case, worker):
    with pytest.raises(ValidationError, match="Alleen een actief traject"):
        case_flow.close_case(
            case=case, closed_by=worker, goal_reached="ja", can_continue_independently=True
        )
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    scores = [
        case_flow.Score("zrm", "voor", "financien", 2),
        case_flow.Score("zrm", "na", "financien", 4),
    ]
    case_flow.close_case(
        case=case,
        closed_by=worker,
        goal_reached="deels",
        can_continue_independently=True,
        referred_to="schuldhulpverlening",
        scores=scores,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY
    outcome = CaseOutcome.objects.get(case=case)
    assert outcome.goal_reached == "deels" and outcome.referred_to == "schuldhulpverlening"
    stored = {
        (s.moment, s.score, s.instrument_version) for s in OutcomeScore.objects.filter(case=case)
    }
    assert stored == {("voor", 2, "ZRM 2017"), ("na", 4, "ZRM 2017")}


def test_the_scores_of_a_closed_case_are_in_the_history(case, worker):
    """Scores are written with bulk_create: each still gets its history entry."""
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    case_flow.close_case(
        case=case,
        closed_by=worker,
        goal_reached="ja",
        can_continue_independently=True,
        scores=[
            case_flow.Score("zrm", "voor", "financien", 2),
            case_flow.Score("zrm", "na", "financien", 4),
        ],
    )
    scores = OutcomeScore.objects.filter(case=case)
    entries = LogEntry.objects.get_for_objects(scores)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        scores.values_list("pk", flat=True)
    )
    assert {e.action for e in entries} == {LogEntry.Action.CREATE}
    assert {e.actor for e in entries} == {worker}
    assert sorted(e.changes["score"][1] for e in entries) == ["2", "4"]


@pytest.mark.parametrize(
    "score",
    [
        case_flow.Score("zrm", "voor", "financien", 6),
        case_flow.Score("positieve_gezondheid", "na", "zingeving", 11),
        case_flow.Score("zrm", "voor", "zingeving", 3),
    ],
)
def test_scores_out_of_range_or_domain_are_refused(case, worker, score):
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    with pytest.raises(ValidationError):
        case_flow.close_case(
            case=case,
            closed_by=worker,
            goal_reached="ja",
            can_continue_independently=True,
            scores=[score],
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert not CaseOutcome.objects.exists() and not OutcomeScore.objects.exists()


def test_sharing_data_on_referral_needs_consent(case, worker):
    with pytest.raises(ValidationError, match="geen toestemming"):
        case_flow.add_referral(
            case=case, partner="ggz", date=TODAY, created_by=worker, data_shared=True
        )
    assert not Referral.objects.exists()
    consent = Consent.objects.create(
        client=case.client,
        purpose="delen_netwerkpartners",
        given=True,
        text_version="2026-1",
        recorded_by=worker,
    )
    case_flow.add_referral(
        case=case, partner="ggz", date=TODAY, created_by=worker, data_shared=True
    )
    assert Referral.objects.count() == 1
    from cases.services.consent import withdraw_consent

    withdraw_consent(consent=consent, withdrawn_by=worker)
    with pytest.raises(ValidationError):
        case_flow.add_referral(
            case=case, partner="ggz", date=TODAY, created_by=worker, data_shared=True
        )
    assert Consent.objects.filter(client=case.client).count() == 1  # withdrawn, not deleted


@pytest.mark.django_db
def test_case_page_shows_timeline_and_logs_the_access(client, login, case, worker):
    Contact.objects.create(
        case=case, date=TODAY, kind="huisbezoek", summary="Kennismaking thuis", created_by=worker
    )
    login(worker)
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kennismaking thuis" in content and "Huisbezoek" in content
    access = PersonalDataAccess.objects.get()
    assert access.user == worker and access.subject_id == str(case.pk)


@pytest.mark.django_db
def test_other_teams_case_is_404_and_managers_are_refused(client, login, case, make_user):
    login(UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Dorpen")]))
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert (
        client.post(
            reverse("cases:change_status", args=[case.pk]), {"to_status": "actief"}
        ).status_code
        == 404
    )
    client.logout()
    login(make_user(role=Role.MANAGER))
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_coordinator_of_the_product_sees_the_case_but_cannot_change_it(
    client, login, case, make_user
):
    coordinator = make_user(role=Role.COORDINATOR)
    case.product.coordinators.add(coordinator)
    login(coordinator)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert (
        client.post(
            reverse("cases:change_status", args=[case.pk]), {"to_status": "actief"}
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_worker_moves_the_case_through_statuses_in_the_browser_flow(client, login, case, worker):
    login(worker)
    url = reverse("cases:change_status", args=[case.pk])
    client.post(url, {"to_status": "actief"})
    case.refresh_from_db()
    assert case.status == "actief"
    bad = client.post(url, {"to_status": "aangemeld"}, follow=True)
    assert "kan niet naar" in bad.content.decode()
    close = client.post(
        reverse("cases:close_case", args=[case.pk]),
        {
            "goal_reached": "ja",
            "can_continue_independently": "ja",
            "instrument": "positieve_gezondheid",
            "score_positieve_gezondheid_voor_meedoen": "4",
            "score_positieve_gezondheid_na_meedoen": "7",
        },
    )
    assert close.status_code == 302
    case.refresh_from_db()
    assert case.status == "afgesloten"
    assert OutcomeScore.objects.filter(case=case, instrument="positieve_gezondheid").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Geef aan of het doel is bereikt."),
        (
            {"goal_reached": "ja", "can_continue_independently": "ja", "instrument": "zrm"},
            "Vul ten minste één score in",
        ),
        (
            {
                "goal_reached": "ja",
                "can_continue_independently": "ja",
                "instrument": "zrm",
                "score_zrm_voor_financien": "9",
            },
            "Score van 1 tot en met 5.",
        ),
    ],
)
def test_closing_with_bad_input_shows_dutch_messages(client, login, case, worker, data, message):
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    login(worker)
    response = client.post(reverse("cases:close_case", args=[case.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "", "kind": "gesprek", "summary": "x"}, "Dit veld is verplicht."),
        (
            {
                "date": (TODAY + datetime.timedelta(days=3)).isoformat(),
                "kind": "gesprek",
                "summary": "x",
            },
            WINDOW_MESSAGE,
        ),
        (
            {"date": TODAY.isoformat(), "kind": "gesprek", "summary": ""},
            "Schrijf een kort verslag.",
        ),
    ],
)
def test_adding_a_contact_validates(client, login, case, worker, data, message):
    login(worker)
    response = client.post(reverse("cases:add_contact", args=[case.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_case_list_query_count_is_constant(
    client, login, team, worker, catalogue, django_assert_max_num_queries
):
    CaseFactory.create_batch(3, client__team=team, team=team, responsible_worker=worker)
    login(worker)
    client.get(reverse("cases:case_list"))
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("cases:case_list"))
    assert len(response.context["page"]) == 3
    CaseFactory.create_batch(30, client__team=team, team=team, responsible_worker=worker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:case_list"))
    assert len(response.context["page"]) == 33


@pytest.mark.django_db
def test_case_page_query_count_does_not_grow_with_the_timeline(
    client, login, case, worker, django_assert_max_num_queries
):
    login(worker)
    url = reverse("cases:case_detail", args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for index in range(15):
        Contact.objects.create(
            case=case, date=TODAY, kind="gesprek", summary=f"Gesprek {index}", created_by=worker
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_social_worker_sees_who_is_matched_to_the_case(client, login, case, worker):
    from tests.volunteers_factories import MatchFactory

    MatchFactory(
        case=case, volunteer__first_name="Greet", volunteer__last_name="Mulder", role="maatje"
    )
    login(worker)
    content = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Gekoppelde vrijwilligers" in content and "Greet Mulder · Maatje" in content


# --- The services check the acting user themselves (cases.change_case on the case) --------


def _outsider(kind: str, case):
    if kind == "other_team_worker":
        return UserFactory(role=Role.SOCIAL_WORKER, teams=[TeamFactory(name="Team Hoofddorp")])
    if kind == "coordinator_of_the_product":
        coordinator = UserFactory(role=Role.COORDINATOR, teams=[case.team])
        case.product.coordinators.add(coordinator)
        return coordinator
    if kind == "manager":
        return UserFactory(role=Role.MANAGER, teams=[case.team])
    return UserFactory(role=Role.FUNCTIONAL_ADMIN)


OUTSIDERS = ["other_team_worker", "coordinator_of_the_product", "manager", "functional_admin"]


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_changing_the_status_without_change_case_is_refused_and_saves_nothing(case, kind):
    with pytest.raises(PermissionDenied):
        case_flow.change_case_status(
            case=case, to_status=CaseStatus.ACTIVE, changed_by=_outsider(kind, case)
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    assert not CaseStatusChange.objects.filter(case=case).exists()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_adding_a_contact_or_referral_without_change_case_is_refused(case, kind):
    outsider = _outsider(kind, case)
    with pytest.raises(PermissionDenied):
        case_flow.add_contact(
            case=case, date=TODAY, kind="gesprek", summary="Huisbezoek", created_by=outsider
        )
    with pytest.raises(PermissionDenied):
        case_flow.add_referral(
            case=case, partner=Partner.MEER_TEAM, date=TODAY, created_by=outsider
        )
    assert not Contact.objects.filter(case=case).exists()
    assert not Referral.objects.filter(case=case).exists()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_closing_without_change_case_is_refused_and_records_no_outcome(case, worker, kind):
    case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
    with pytest.raises(PermissionDenied):
        case_flow.close_case(
            case=case,
            closed_by=_outsider(kind, case),
            goal_reached="ja",
            can_continue_independently=True,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert not CaseOutcome.objects.filter(case=case).exists()


def test_a_worker_who_left_the_team_can_no_longer_change_the_case(case, worker, team):
    worker.teams.remove(team)
    worker = type(worker).objects.get(pk=worker.pk)  # a fresh request: no cached team ids
    with pytest.raises(PermissionDenied):
        case_flow.change_case_status(case=case, to_status=CaseStatus.ACTIVE, changed_by=worker)
