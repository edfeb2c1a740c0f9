"""The coordinator's overview (/matching/): waiting lists with suggestions, matches due
for an evaluation, expiring screenings and active volunteers without a match, for the
coordinator's own products, at a cost that does not grow with the rows."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import CaseStatus
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory, ClientFactory
from tests.volunteers_factories import MatchFactory, TrainingTypeFactory, VolunteerFactory
from volunteers.models import MatchStatus, VolunteerStatus, VolunteerTraining

TODAY = datetime.date.today()
URL = "volunteers_matching:overview"


def weeks_ago(weeks: int) -> datetime.date:
    return TODAY - datetime.timedelta(weeks=weeks)


def waiting(product, **kwargs):
    return CaseFactory(
        product=product,
        status=CaseStatus.WAITING_LIST,
        waiting_since=kwargs.pop("waiting_since", weeks_ago(8)),
        registered_on=TODAY - datetime.timedelta(days=100),
        **kwargs,
    )


def match(product, last_name, *, status=MatchStatus.ACTIVE, **kwargs):
    case_status = CaseStatus.CLOSED if status == MatchStatus.COMPLETED else CaseStatus.ACTIVE
    return MatchFactory(
        case=CaseFactory(product=product, status=case_status),
        volunteer=VolunteerFactory(last_name=last_name, products=[product]),
        status=status,
        proposed_on=kwargs.get("started_on", TODAY) - datetime.timedelta(days=14),
        **kwargs,
    )


def vog_expiring_in(days: int) -> datetime.date:
    # Home-Start accepts a VOG of at most 36 months old (the default rule).
    return TODAY - relativedelta(months=36) + datetime.timedelta(days=days)


def test_waiting_lists_link_each_case_to_its_suggestions(client, login, coordinator, home_start):
    case = waiting(home_start, client=ClientFactory(first_name="Wachtend"))
    login(coordinator)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("volunteers_matching:case", args=[case.pk]) + "#h-suggestions" in html
    assert 'data-testid="count-waiting">1<' in html
    assert "8,0 weken" in html and "gemiddeld 8,0 weken" in html


def test_evaluations_due_soon_or_overdue_and_not_yet_recorded(
    client, login, coordinator, home_start, mediation
):
    match(home_start, "Tussen", started_on=weeks_ago(7))
    match(home_start, "Binnenkort", started_on=weeks_ago(5))
    match(home_start, "Jaar", started_on=weeks_ago(53), interim_evaluation_on=weeks_ago(45))
    match(
        home_start,
        "Afgerond",
        status=MatchStatus.COMPLETED,
        started_on=weeks_ago(20),
        interim_evaluation_on=weeks_ago(12),
        ended_on=weeks_ago(2),
    )
    match(home_start, "Nieuw", started_on=weeks_ago(2))
    match(home_start, "Tussengedaan", started_on=weeks_ago(10), interim_evaluation_on=weeks_ago(3))
    match(
        home_start,
        "Geevalueerd",
        status=MatchStatus.COMPLETED,
        started_on=weeks_ago(30),
        ended_on=weeks_ago(3),
        final_evaluation_on=weeks_ago(2),
    )
    match(
        home_start,
        "LangGeleden",
        status=MatchStatus.COMPLETED,
        started_on=weeks_ago(60),
        ended_on=weeks_ago(30),
    )
    match(mediation, "AnderProduct", started_on=weeks_ago(7))
    login(coordinator)
    response = client.get(reverse(URL))
    due = {m.volunteer.last_name: m for m in response.context["evaluations"]}
    assert set(due) == {"Tussen", "Binnenkort", "Jaar", "Afgerond"}
    # The most urgent first.
    assert [m.volunteer.last_name for m in response.context["evaluations"]] == [
        "Afgerond",
        "Tussen",
        "Jaar",
        "Binnenkort",
    ]
    assert (due["Tussen"].evaluation_due, due["Tussen"].evaluation_overdue) == (
        "tussenevaluatie",
        True,
    )
    assert due["Tussen"].evaluation_due_on == weeks_ago(1)
    assert (due["Binnenkort"].evaluation_due, due["Binnenkort"].evaluation_overdue) == (
        "tussenevaluatie",
        False,
    )
    assert due["Jaar"].evaluation_due == "eindevaluatie"
    assert due["Jaar"].evaluation_due_on == weeks_ago(1)
    assert due["Afgerond"].evaluation_due == "eindevaluatie"
    assert due["Afgerond"].evaluation_due_on == weeks_ago(2)
    html = response.content.decode()
    assert html.count('data-testid="evaluation"') == 4
    assert "te laat" in html
    assert reverse("volunteers_matching:match", args=[due["Afgerond"].pk]) in html


def test_expiring_screenings_of_own_products(client, login, coordinator, home_start, mediation):
    soon = VolunteerFactory(
        last_name="Verloopt", products=[home_start], vog_date=vog_expiring_in(10)
    )
    VolunteerFactory(last_name="Geldig", products=[home_start], vog_date=vog_expiring_in(200))
    VolunteerFactory(last_name="Elders", products=[mediation], vog_date=vog_expiring_in(10))
    login(coordinator)
    response = client.get(reverse(URL))
    rows = response.context["expiring"]
    assert [(row.volunteer, row.what) for row in rows] == [(soon, "VOG")]
    assert rows[0].expires_on == TODAY + datetime.timedelta(days=10)
    html = response.content.decode()
    assert "Verloopt" in html and "Elders" not in html
    assert reverse("volunteers_registry:expiring") in html


def test_active_volunteers_without_a_match(client, login, coordinator, home_start, mediation):
    free = VolunteerFactory(last_name="Vrij", products=[home_start, mediation])
    earlier = match(
        home_start,
        "Eerder",
        status=MatchStatus.COMPLETED,
        started_on=weeks_ago(40),
        ended_on=weeks_ago(30),
        final_evaluation_on=weeks_ago(30),
    ).volunteer
    match(home_start, "Bezet", started_on=weeks_ago(1))
    match(home_start, "Voorgesteld", status=MatchStatus.PROPOSED)
    VolunteerFactory(last_name="Pauze", products=[home_start], status=VolunteerStatus.PAUSED)
    VolunteerFactory(last_name="Elders", products=[mediation])
    login(coordinator)
    response = client.get(reverse(URL))
    without = response.context["without_match"]
    assert without == sorted([free, earlier], key=lambda v: (v.last_name, v.first_name))
    by_name = {v.last_name: v for v in without}
    # Only the coordinator's own products are named.
    assert by_name["Vrij"].own_products == [home_start]
    assert by_name["Eerder"].last_match_ended_on == weeks_ago(30)
    html = response.content.decode()
    assert "nog nooit gekoppeld" in html
    assert weeks_ago(30).strftime("%d-%m-%Y") in html
    assert "?status=zonder-koppeling" in html


def test_another_coordinator_sees_none_of_it(client, login, make_user, home_start, mediation):
    waiting(home_start, client=ClientFactory(first_name="Wachtendewilma"))
    match(home_start, "Evaluatiemans", started_on=weeks_ago(7))
    VolunteerFactory(
        last_name="Vrijstaandersma", products=[home_start], vog_date=vog_expiring_in(5)
    )
    other = make_user(role=Role.COORDINATOR)
    mediation.coordinators.add(other)
    login(other)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    context = response.context
    assert [item["product"] for item in context["waiting_lists"]] == [mediation]
    assert context["evaluations"] == [] and context["expiring"] == []
    assert context["without_match"] == []
    html = response.content.decode()
    for name in ("Wachtendewilma", "Evaluatiemans", "Vrijstaandersma"):
        assert name not in html


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MANAGER])
def test_social_workers_and_managers_get_403(client, login, make_user, role):
    login(make_user(role=role))
    assert client.get(reverse(URL)).status_code == 403


def populate(product, training, count: int) -> None:
    """`count` rows in every section of the overview."""
    for _ in range(count):
        waiting(product)
        match(product, "Evaluatie", started_on=weeks_ago(7))
        VolunteerFactory(products=[product], vog_date=vog_expiring_in(10))
        trained = VolunteerFactory(products=[product])
        VolunteerTraining.objects.create(
            volunteer=trained,
            training=training,
            completed_on=TODAY - relativedelta(months=12) + datetime.timedelta(days=20),
        )


def test_query_count_is_the_same_for_2_and_6_rows_per_section(
    client, login, coordinator, home_start
):
    training = TrainingTypeFactory(name="EHBO", valid_for_months=12)
    login(coordinator)
    url = reverse(URL)
    populate(home_start, training, 2)
    client.get(url)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as two:
        small = client.get(url)
    populate(home_start, training, 4)
    with CaptureQueriesContext(connection) as six:
        large = client.get(url)
    assert len(small.context["evaluations"]) == 2 and len(large.context["evaluations"]) == 6
    assert len(large.context["without_match"]) == 12  # the VOG and the training volunteers
    assert len(large.context["expiring"]) == 12
    assert large.content.decode().count('data-testid="waiting-case"') == 6
    assert len(six.captured_queries) == len(two.captured_queries)


# Start page ----------------------------------------------------------------------------


def test_coordinator_home_links_to_the_overview_with_counts(client, login, coordinator, home_start):
    waiting(home_start)
    match(home_start, "Tussen", started_on=weeks_ago(7))
    VolunteerFactory(products=[home_start], vog_date=vog_expiring_in(10))
    login(coordinator)
    response = client.get(reverse("home"))
    assert response.context["volunteer_summary"] == {
        "waiting": 1,
        "evaluations": 1,
        "expiring": 1,
        "without_match": 1,
    }
    html = response.content.decode()
    assert reverse(URL) in html and "Naar het overzicht" in html
    assert "traject wacht op een vrijwilliger" in html


def test_other_roles_home_has_no_volunteer_summary(client, login, make_user):
    login(make_user(role=Role.SOCIAL_WORKER))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "volunteer_summary" not in response.context
