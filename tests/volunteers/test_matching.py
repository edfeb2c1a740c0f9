import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import CaseStatusChange
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory, ClientFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import (
    Match,
    MatchRole,
    MatchStatus,
    MatchStatusChange,
    TrainingType,
    VolunteerTraining,
)
from volunteers.services.matching import (
    change_match_status,
    propose_match,
    record_evaluation,
    role_for_product,
)

TODAY = datetime.date.today()
HOME_START = "home-start-en-home-start-plus"
MEDIATION = "buurt-en-groepsbemiddeling"


def waiting(product, **kwargs):
    return CaseFactory(
        product=product,
        status=CaseStatus.WAITING_LIST,
        waiting_since=kwargs.pop("waiting_since", TODAY - datetime.timedelta(weeks=8)),
        registered_on=TODAY - datetime.timedelta(days=100),
        **kwargs,
    )


def screened(product, training_name="Home-Start training", **kwargs):
    volunteer = VolunteerFactory(products=[product], **kwargs)
    VolunteerTraining.objects.create(
        volunteer=volunteer,
        training=TrainingType.objects.get(name=training_name),
        completed_on=TODAY - datetime.timedelta(days=60),
    )
    return volunteer


# Services ----------------------------------------------------------------------------


def test_propose_match_creates_a_proposed_match_and_records_it(home_start, coordinator):
    case = waiting(home_start)
    volunteer = screened(home_start)
    match = propose_match(
        case=case,
        volunteer=volunteer,
        role=role_for_product(home_start),
        proposed_by=coordinator,
        on=TODAY,
    )
    assert match.status == MatchStatus.PROPOSED and match.role == MatchRole.HOME_START
    assert match.proposed_on == TODAY
    change = MatchStatusChange.objects.get(match=match)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "",
        MatchStatus.PROPOSED,
        coordinator,
    )


@pytest.mark.parametrize(
    ("volunteer_kwargs", "message"),
    [
        ({"vog_date": None}, "Geen VOG."),
        ({"status": "pauze"}, "Status is 'pauze'"),
    ],
)
def test_propose_match_refuses_unscreened_volunteers_with_the_reason(
    home_start, coordinator, volunteer_kwargs, message
):
    case = waiting(home_start)
    volunteer = screened(home_start, **volunteer_kwargs)
    with pytest.raises(ValidationError) as error:
        propose_match(
            case=case, volunteer=volunteer, role="home_start", proposed_by=coordinator, on=TODAY
        )
    assert any(message in text for text in error.value.messages)
    assert not Match.objects.exists()


def test_propose_match_refuses_missing_training_full_volunteer_second_match_and_closed_case(
    home_start, coordinator
):
    case = waiting(home_start)
    untrained = VolunteerFactory(products=[home_start])
    with pytest.raises(ValidationError, match="Training 'Home-Start training' ontbreekt"):
        propose_match(
            case=case, volunteer=untrained, role="home_start", proposed_by=coordinator, on=TODAY
        )

    full = screened(home_start, max_matches=1)
    MatchFactory(volunteer=full, status=MatchStatus.ACTIVE)
    with pytest.raises(ValidationError, match="heeft geen plek meer vrij"):
        propose_match(
            case=case, volunteer=full, role="home_start", proposed_by=coordinator, on=TODAY
        )

    twice = screened(home_start, max_matches=3)
    propose_match(case=case, volunteer=twice, role="home_start", proposed_by=coordinator, on=TODAY)
    with pytest.raises(ValidationError, match="is al aan dit traject gekoppeld"):
        propose_match(
            case=case, volunteer=twice, role="home_start", proposed_by=coordinator, on=TODAY
        )

    closed = CaseFactory(product=home_start, status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError, match="kan geen vrijwilliger krijgen"):
        propose_match(
            case=closed, volunteer=twice, role="home_start", proposed_by=coordinator, on=TODAY
        )
    assert Match.objects.filter(case__in=[case, closed]).count() == 1


def test_match_flow_sets_dates_records_changes_and_activates_the_waiting_case(
    home_start, coordinator
):
    case = waiting(home_start)
    match = propose_match(
        case=case,
        volunteer=screened(home_start),
        role="home_start",
        proposed_by=coordinator,
        on=TODAY - datetime.timedelta(days=20),
    )
    match = change_match_status(
        match=match,
        to_status=MatchStatus.INTRODUCTION,
        changed_by=coordinator,
        on=TODAY - datetime.timedelta(days=10),
    )
    assert match.introduced_on == TODAY - datetime.timedelta(days=10)
    match = change_match_status(
        match=match, to_status=MatchStatus.ACTIVE, changed_by=coordinator, on=TODAY
    )
    assert match.started_on == TODAY
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.waiting_since is None
    assert CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.ACTIVE).exists()
    match = change_match_status(
        match=match, to_status=MatchStatus.COMPLETED, changed_by=coordinator, on=TODAY
    )
    assert match.ended_on == TODAY
    assert list(match.status_changes.values_list("to_status", flat=True)) == [
        "voorgesteld",
        "kennismaking",
        "actief",
        "afgerond",
    ]


def test_skipping_a_step_or_leaving_a_closed_match_is_refused(home_start, coordinator):
    match = MatchFactory(case=waiting(home_start), status=MatchStatus.PROPOSED)
    with pytest.raises(ValidationError, match="kan niet naar 'Actief'"):
        change_match_status(
            match=match, to_status=MatchStatus.ACTIVE, changed_by=coordinator, on=TODAY
        )
    done = MatchFactory(case=waiting(home_start), status=MatchStatus.COMPLETED)
    with pytest.raises(ValidationError, match="kan niet naar"):
        change_match_status(
            match=done, to_status=MatchStatus.BROKEN_OFF, changed_by=coordinator, on=TODAY
        )
    assert not MatchStatusChange.objects.exists()


def test_a_coordinator_of_another_product_cannot_change_the_match(home_start, make_user):
    match = MatchFactory(case=waiting(home_start), status=MatchStatus.PROPOSED)
    outsider = make_user(role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        change_match_status(
            match=match, to_status=MatchStatus.INTRODUCTION, changed_by=outsider, on=TODAY
        )
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert not MatchStatusChange.objects.exists()


def test_breaking_off_needs_a_reason_and_frees_the_place(home_start, coordinator):
    volunteer = screened(home_start)
    match = MatchFactory(volunteer=volunteer, case=waiting(home_start), status=MatchStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        change_match_status(
            match=match, to_status=MatchStatus.BROKEN_OFF, changed_by=coordinator, on=TODAY
        )
    assert error.value.message_dict == {"reason": ["Geef een reden waarom de koppeling stopt."]}
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE

    match = change_match_status(
        match=match,
        to_status=MatchStatus.BROKEN_OFF,
        changed_by=coordinator,
        on=TODAY,
        reason="Gezin verhuisd",
    )
    assert (match.status, match.ended_on, match.end_reason) == (
        "afgebroken",
        TODAY,
        "Gezin verhuisd",
    )
    propose_match(
        case=waiting(home_start),
        volunteer=volunteer,
        role="home_start",
        proposed_by=coordinator,
        on=TODAY,
    )


def test_status_date_in_the_future_or_before_the_proposal_is_refused(home_start, coordinator):
    match = MatchFactory(case=waiting(home_start), proposed_on=TODAY - datetime.timedelta(days=3))
    for on in (TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=4)):
        with pytest.raises(ValidationError) as error:
            change_match_status(
                match=match, to_status=MatchStatus.INTRODUCTION, changed_by=coordinator, on=on
            )
        assert "on" in error.value.message_dict
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_mediation_needs_two_mediators_before_a_match_becomes_active(mediation, make_user):
    coordinator = make_user(role=Role.COORDINATOR)
    mediation.coordinators.add(coordinator)
    case = waiting(mediation)
    assert role_for_product(mediation) == MatchRole.MEDIATOR
    first = screened(mediation, "Bemiddelaarstraining")
    with pytest.raises(ValidationError, match="altijd bemiddelaar"):
        propose_match(
            case=case, volunteer=first, role="vrijwilliger", proposed_by=coordinator, on=TODAY
        )
    match = propose_match(
        case=case, volunteer=first, role="bemiddelaar", proposed_by=coordinator, on=TODAY
    )
    match = change_match_status(
        match=match, to_status=MatchStatus.INTRODUCTION, changed_by=coordinator, on=TODAY
    )
    with pytest.raises(ValidationError, match="Buurtbemiddeling heeft twee bemiddelaars nodig"):
        change_match_status(
            match=match, to_status=MatchStatus.ACTIVE, changed_by=coordinator, on=TODAY
        )
    second = propose_match(
        case=case,
        volunteer=screened(mediation, "Bemiddelaarstraining"),
        role="bemiddelaar",
        proposed_by=coordinator,
        on=TODAY,
    )
    change_match_status(
        match=second, to_status=MatchStatus.INTRODUCTION, changed_by=coordinator, on=TODAY
    )
    with pytest.raises(ValidationError, match="al twee bemiddelaars"):
        propose_match(
            case=case,
            volunteer=screened(mediation, "Bemiddelaarstraining"),
            role="bemiddelaar",
            proposed_by=coordinator,
            on=TODAY,
        )
    match = change_match_status(
        match=match, to_status=MatchStatus.ACTIVE, changed_by=coordinator, on=TODAY
    )
    assert match.status == MatchStatus.ACTIVE
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_record_evaluation_sets_the_date_and_keeps_the_notes(home_start, coordinator):
    match = MatchFactory(
        case=waiting(home_start),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=7),
    )
    record_evaluation(
        match=match, kind="tussen", date=TODAY, notes="Gaat goed.", recorded_by=coordinator
    )
    record_evaluation(
        match=match, kind="eind", date=TODAY, notes="Doelen gehaald.", recorded_by=coordinator
    )
    match.refresh_from_db()
    assert match.interim_evaluation_on == TODAY and match.final_evaluation_on == TODAY
    assert "Gaat goed." in match.evaluation_notes and "Doelen gehaald." in match.evaluation_notes


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "half"}, "kind"),
        ({"notes": "  "}, "notes"),
        ({"date": TODAY + datetime.timedelta(days=2)}, "date"),
        ({"date": TODAY - datetime.timedelta(weeks=8)}, "date"),
    ],
)
def test_record_evaluation_refuses_bad_input(home_start, coordinator, kwargs, field):
    match = MatchFactory(
        case=waiting(home_start),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=7),
    )
    arguments = {"kind": "tussen", "date": TODAY, "notes": "Prima", **kwargs}
    with pytest.raises(ValidationError) as error:
        record_evaluation(match=match, recorded_by=coordinator, **arguments)
    assert field in error.value.message_dict
    match.refresh_from_db()
    assert match.interim_evaluation_on is None and match.evaluation_notes == ""


def test_a_proposed_match_cannot_be_evaluated(home_start, coordinator):
    match = MatchFactory(case=waiting(home_start))
    with pytest.raises(ValidationError, match="pas als de koppeling actief"):
        record_evaluation(
            match=match, kind="tussen", date=TODAY, notes="x", recorded_by=coordinator
        )


# Overview ----------------------------------------------------------------------------


def test_overview_lists_waiting_cases_oldest_first_with_weeks_and_average(
    client, login, coordinator, home_start, catalogue, hoofddorp
):
    old = waiting(
        home_start,
        client=ClientFactory(first_name="Oud", kern=hoofddorp),
        waiting_since=TODAY - datetime.timedelta(days=59),
    )
    waiting(
        home_start,
        client=ClientFactory(first_name="Nieuw"),
        waiting_since=TODAY - datetime.timedelta(days=10),
    )
    CaseFactory(
        product=home_start, status=CaseStatus.ACTIVE, client=ClientFactory(first_name="Loopt")
    )
    waiting(catalogue[MEDIATION], client=ClientFactory(first_name="AnderProduct"))
    login(coordinator)
    response = client.get(reverse("volunteers_matching:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Home-Start en Home-Start+" in html
    assert html.index("Oud") < html.index("Nieuw")
    assert "Loopt" not in html and "AnderProduct" not in html
    assert "8,4 weken" in html  # 59 days
    assert "1,4 weken" in html  # 10 days
    assert "gemiddeld 4,9 weken" in html  # (59 + 10) / 2 = 34.5 days
    assert reverse("volunteers_matching:case", args=[old.pk]) in html


def test_overview_shows_matches_due_for_an_evaluation(client, login, coordinator, home_start):
    due = MatchFactory(
        case=CaseFactory(product=home_start, status=CaseStatus.ACTIVE),
        volunteer=VolunteerFactory(last_name="Evalueren"),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=7),
    )
    MatchFactory(
        case=CaseFactory(product=home_start, status=CaseStatus.ACTIVE),
        volunteer=VolunteerFactory(last_name="Netbegonnen"),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=2),
    )
    MatchFactory(
        case=CaseFactory(product=home_start, status=CaseStatus.ACTIVE),
        volunteer=VolunteerFactory(last_name="AlGeevalueerd"),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=10),
        interim_evaluation_on=TODAY - datetime.timedelta(weeks=3),
    )
    login(coordinator)
    html = client.get(reverse("volunteers_matching:overview")).content.decode()
    assert "Evalueren" in html and "tussenevaluatie" in html
    assert "Netbegonnen" not in html and "AlGeevalueerd" not in html
    assert reverse("volunteers_matching:match", args=[due.pk]) in html


def test_overview_query_count_does_not_grow_with_cases(
    client, login, coordinator, home_start, django_assert_max_num_queries
):
    login(coordinator)
    for _ in range(3):
        waiting(home_start)
    # The overview also lists expiring screenings (a query per screening rule) and free
    # volunteers; none of it per row.
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("volunteers_matching:overview"))
    for _ in range(20):
        waiting(home_start)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("volunteers_matching:overview"))
    assert response.content.decode().count('data-testid="waiting-case"') == 23


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER, Role.FUNCTIONAL_ADMIN])
def test_overview_is_for_coordinators_only(client, login, make_user, role):
    login(make_user(role=role))
    assert client.get(reverse("volunteers_matching:overview")).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client, db):
    url = reverse("volunteers_matching:overview")
    response = client.get(url)
    assert response.status_code == 302 and "inloggen" in response["Location"]


# Case page and proposing ----------------------------------------------------------------


def test_case_page_shows_the_case_and_ranked_suggestions(
    client, login, coordinator, home_start, hoofddorp
):
    case = waiting(
        home_start,
        client=ClientFactory(first_name="Fatima", kern=hoofddorp, language_needs="Arabisch"),
        question="Steun bij de opvoeding van drie kinderen.",
    )
    screened(home_start, last_name="Spreker", languages=["Arabisch"])
    screened(home_start, last_name="Anders")
    login(coordinator)
    response = client.get(reverse("volunteers_matching:case", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fatima" in html and "Steun bij de opvoeding" in html and "Hoofddorp" in html
    assert html.index("Spreker") < html.index("Anders")
    assert "spreekt Arabisch" in html
    assert reverse("volunteers_matching:propose", args=[case.pk]) in html


def test_case_page_query_count_does_not_grow_with_volunteers(
    client, login, coordinator, home_start, django_assert_max_num_queries
):
    case = waiting(home_start)
    login(coordinator)
    for _ in range(3):
        screened(home_start)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("volunteers_matching:case", args=[case.pk]))
    for _ in range(15):
        screened(home_start)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("volunteers_matching:case", args=[case.pk]))


def test_case_page_is_404_for_other_coordinators_and_other_roles(
    client, login, make_user, home_start, catalogue
):
    case = waiting(home_start)
    other = make_user(role=Role.COORDINATOR)
    catalogue[MEDIATION].coordinators.add(other)
    url = reverse("volunteers_matching:case", args=[case.pk])
    login(other)
    assert client.get(url).status_code == 404
    login(make_user(role=Role.SOCIAL_WORKER))
    assert client.get(url).status_code == 404


def test_propose_creates_the_match_and_opens_its_page(client, login, coordinator, home_start):
    case = waiting(home_start)
    volunteer = screened(home_start)
    login(coordinator)
    response = client.post(
        reverse("volunteers_matching:propose", args=[case.pk]), {"volunteer": volunteer.pk}
    )
    match = Match.objects.get(case=case, volunteer=volunteer)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers_matching:match", args=[match.pk])
    assert match.created_by == coordinator and match.role == MatchRole.HOME_START


@pytest.mark.parametrize("posted", [{}, {"volunteer": "999999"}, {"volunteer": "abc"}])
def test_propose_with_a_bad_volunteer_says_so_and_saves_nothing(
    client, login, coordinator, home_start, posted
):
    case = waiting(home_start)
    login(coordinator)
    response = client.post(
        reverse("volunteers_matching:propose", args=[case.pk]), posted, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een vrijwilliger" in html
    assert not Match.objects.exists()


def test_propose_an_unscreened_volunteer_shows_the_dutch_reason(
    client, login, coordinator, home_start
):
    case = waiting(home_start)
    volunteer = screened(home_start, vog_date=None, first_name="Piet", last_name="Zonder")
    login(coordinator)
    response = client.post(
        reverse("volunteers_matching:propose", args=[case.pk]),
        {"volunteer": volunteer.pk},
        follow=True,
    )
    assert "Piet Zonder kan niet worden voorgesteld: Geen VOG." in response.content.decode()
    assert not Match.objects.exists()


def test_propose_a_volunteer_of_another_product_names_nothing_and_saves_nothing(
    client, login, coordinator, home_start, catalogue
):
    """The coordinator may not see this volunteer: the answer is the one for an id that does
    not exist, without the name, status, VOG date or missing training."""
    case = waiting(home_start)
    stranger = VolunteerFactory(
        products=[catalogue["maatjesprojecten"]],
        first_name="Geertruida",
        last_name="Onzichtbaar",
        status="aspirant",
        vog_date=datetime.date(2023, 5, 4),
    )
    login(coordinator)
    url = reverse("volunteers_matching:propose", args=[case.pk])
    answers = [
        client.post(url, {"volunteer": volunteer_id}, follow=True).content.decode()
        for volunteer_id in (stranger.pk, 999999)
    ]
    for html in answers:
        assert "Kies een vrijwilliger uit de suggesties." in html
        for revealing in ("Geertruida", "Onzichtbaar", "aspirant", "04-05-2023", "VOG van"):
            assert revealing not in html
    # The page around the message is the same for both ids (the CSRF token aside).
    strip = re.compile(r"(csrfmiddlewaretoken\" value=|X-CSRFToken\": )\"[^\"]*\"")
    assert strip.sub("", answers[0]) == strip.sub("", answers[1])
    assert not Match.objects.exists()


def test_propose_match_refuses_what_the_coordinator_may_not_see_without_naming_it(
    coordinator, home_start, catalogue
):
    other_product = catalogue["maatjesprojecten"]
    stranger = screened(home_start, first_name="Geertruida")
    stranger.products.set([other_product])
    own_volunteer = screened(home_start, first_name="Hendrika")
    cases = [(waiting(home_start), stranger), (waiting(other_product), own_volunteer)]
    for case, volunteer in cases:
        with pytest.raises(ValidationError) as error:
            propose_match(
                case=case, volunteer=volunteer, role="home_start", proposed_by=coordinator, on=TODAY
            )
        assert error.value.messages == ["Maak een geldige keuze."]
    assert not Match.objects.exists()


def test_propose_on_another_products_case_is_404(client, login, coordinator, mediation):
    case = waiting(mediation)
    volunteer = screened(mediation, "Bemiddelaarstraining")
    login(coordinator)
    response = client.post(
        reverse("volunteers_matching:propose", args=[case.pk]), {"volunteer": volunteer.pk}
    )
    assert response.status_code == 404
    assert not Match.objects.exists()


# Match page ------------------------------------------------------------------------------


def test_match_page_offers_the_allowed_next_statuses(client, login, coordinator, home_start):
    match = MatchFactory(case=waiting(home_start), status=MatchStatus.INTRODUCTION)
    login(coordinator)
    response = client.get(reverse("volunteers_matching:match", args=[match.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="actief"' in html and 'value="afgebroken"' in html
    assert 'value="afgerond"' not in html and 'value="kennismaking"' not in html
    assert "Reden (verplicht bij afbreken)" in html


def test_match_page_is_404_for_another_products_coordinator_and_social_workers(
    client, login, make_user, home_start, mediation
):
    match = MatchFactory(case=waiting(home_start))
    other = make_user(role=Role.COORDINATOR)
    mediation.coordinators.add(other)
    for user in (other, make_user(role=Role.SOCIAL_WORKER)):
        login(user)
        assert client.get(reverse("volunteers_matching:match", args=[match.pk])).status_code == 404
        response = client.post(
            reverse("volunteers_matching:match_status", args=[match.pk]),
            {"to_status": "kennismaking", "on": TODAY.isoformat()},
        )
        assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_status_change_through_the_page_accepts_a_dutch_date(
    client, login, coordinator, home_start
):
    match = MatchFactory(case=waiting(home_start), proposed_on=TODAY - datetime.timedelta(days=5))
    login(coordinator)
    day = TODAY - datetime.timedelta(days=1)
    response = client.post(
        reverse("volunteers_matching:match_status", args=[match.pk]),
        {"to_status": "kennismaking", "on": day.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.introduced_on) == (MatchStatus.INTRODUCTION, day)


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"to_status": "afgebroken", "on": TODAY.isoformat()}, "Geef een reden"),
        ({"to_status": "actief", "on": TODAY.isoformat()}, "kan niet naar"),
        ({"to_status": "kennismaking", "on": "31-02-2026"}, "Vul een bestaande datum in"),
        ({"to_status": "onzin", "on": TODAY.isoformat()}, "Kies een geldige status"),
    ],
)
def test_bad_status_change_gets_a_dutch_message_and_saves_nothing(
    client, login, coordinator, home_start, posted, message
):
    match = MatchFactory(case=waiting(home_start))
    login(coordinator)
    response = client.post(reverse("volunteers_matching:match_status", args=[match.pk]), posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert not MatchStatusChange.objects.exists()


def test_evaluation_through_the_page(client, login, coordinator, home_start):
    match = MatchFactory(
        case=waiting(home_start),
        status=MatchStatus.ACTIVE,
        started_on=TODAY - datetime.timedelta(weeks=7),
    )
    login(coordinator)
    url = reverse("volunteers_matching:match_evaluation", args=[match.pk])
    bad = client.post(url, {"kind": "tussen", "date": TODAY.isoformat(), "notes": ""})
    assert bad.status_code == 400
    assert "Schrijf kort op wat er besproken is." in bad.content.decode()
    match.refresh_from_db()
    assert match.interim_evaluation_on is None

    good = client.post(
        url, {"kind": "tussen", "date": TODAY.strftime("%d-%m-%Y"), "notes": "Loopt goed"}
    )
    assert good.status_code == 302
    match.refresh_from_db()
    assert match.interim_evaluation_on == TODAY and "Loopt goed" in match.evaluation_notes
