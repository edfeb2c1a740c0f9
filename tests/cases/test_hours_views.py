"""Staff hours pages: the week view, adding (also from the case page), editing, deleting."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import CaseStatus, HourKind
from cases.forms_hours import hour_form_for_case
from cases.models import ClosedPeriod, HourRegistration
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory

WINDOW_MESSAGE = registration_date_window().message

WEEK_URL = reverse("hours:week")
ADD_URL = reverse("hours:add")
# A week in the past: Monday 2 up to and including Sunday 8 November 2026.
MONDAY = datetime.date(2026, 11, 2)
WEDNESDAY = datetime.date(2026, 11, 4)
SUNDAY = datetime.date(2026, 11, 8)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, teams=[team])


@pytest.fixture
def worker_client(login, worker):
    return login(worker)


@pytest.fixture
def product(catalogue):
    return catalogue["1-5-gesprekken"]


@pytest.fixture
def case(team, product):
    client = ClientFactory(team=team, first_name="Fatima", last_name="Bakker", postcode="2131 XY")
    return CaseFactory(client=client, product=product, status=CaseStatus.ACTIVE)


def make_hours(worker, product, *, date=WEDNESDAY, hours="1.5", case=None, note=""):
    return HourRegistration.objects.create(
        worker=worker,
        date=date,
        hours=Decimal(hours),
        product=product,
        case=case,
        kind=HourKind.DIRECT,
        note=note,
        created_by=worker,
    )


def form_data(product, /, **overrides):
    data = {
        "date": WEDNESDAY.isoformat(),
        "product": product.pk,
        "case": "",
        "kind": HourKind.DIRECT,
        "hours": "1,5",
        "note": "",
    }
    data.update(overrides)
    return data


# --- who may ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_social_workers_and_coordinators_use_the_hours_pages(
    client, login, make_user, product, role
):
    user = make_user(role=role)
    login(user)
    assert client.get(WEEK_URL).status_code == 200
    assert client.get(ADD_URL).status_code == 200
    registration = make_hours(user, product)
    assert client.get(reverse("hours:edit", args=[registration.pk])).status_code == 200
    assert client.get(reverse("hours:delete", args=[registration.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNCTIONAL_ADMIN])
def test_managers_and_functioneel_beheerders_are_refused(client, login, make_user, role, product):
    login(make_user(role=role))
    assert client.get(WEEK_URL).status_code == 403
    assert client.post(ADD_URL, form_data(product)).status_code == 403
    assert client.get(reverse("hours:edit", args=[1])).status_code == 403
    assert client.post(reverse("hours:delete", args=[1])).status_code == 403
    assert not HourRegistration.objects.exists()


@pytest.mark.parametrize(
    "url",
    [WEEK_URL, ADD_URL, reverse("hours:edit", args=[1]), reverse("hours:delete", args=[1])],
)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/inloggen/" in response.url


def test_another_users_registration_does_not_exist(worker_client, make_user, team, product):
    colleague = make_user(role=Role.SOCIAL_WORKER, teams=[team])
    theirs = make_hours(colleague, product)
    edit_url = reverse("hours:edit", args=[theirs.pk])
    delete_url = reverse("hours:delete", args=[theirs.pk])
    assert worker_client.get(edit_url).status_code == 404
    assert worker_client.post(edit_url, form_data(product, hours="8")).status_code == 404
    assert worker_client.get(delete_url).status_code == 404
    assert worker_client.post(delete_url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.hours == Decimal("1.5")


def test_week_view_shows_only_the_users_own_hours(worker_client, worker, make_user, product):
    colleague = make_user(role=Role.SOCIAL_WORKER)
    make_hours(colleague, product, note="van een collega")
    make_hours(worker, product, note="van mij")
    content = worker_client.get(WEEK_URL, {"week": "2026-W45"}).content.decode()
    assert "van mij" in content and "van een collega" not in content


# --- adding -------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [("1,5", "1.5"), ("1.5", "1.5"), ("0,25", "0.25")])
def test_add_accepts_decimal_comma_and_point(worker_client, worker, product, typed, expected):
    response = worker_client.post(ADD_URL, form_data(product, hours=typed))
    assert response.status_code == 302
    assert response.url == f"{WEEK_URL}?week=2026-W45"
    registration = HourRegistration.objects.get()
    assert registration.hours == Decimal(expected)
    assert registration.worker == worker and registration.created_by == worker


def test_add_accepts_a_dutch_date(worker_client, product):
    worker_client.post(ADD_URL, form_data(product, date="04-11-2026"))
    assert HourRegistration.objects.get().date == WEDNESDAY


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours": "25"}, "Meer dan 24 uur op één dag kan niet"),
        ({"hours": "1,3"}, "Registreer uren in kwartieren"),
        ({"hours": "0"}, "Het aantal uren moet meer dan 0 zijn."),
        ({"hours": "anderhalf"}, "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        ({"hours": ""}, "Vul het aantal uren in."),
        ({"date": "31-02-2026"}, "Vul een bestaande datum in"),
        ({"date": "2999-01-01"}, WINDOW_MESSAGE),
        ({"product": ""}, "Kies een product."),
        ({"product": "999999"}, "Kies een product uit de lijst."),
        ({"kind": "feest"}, "Kies een soort uren uit de lijst."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_saves_nothing(
    worker_client, product, overrides, message
):
    response = worker_client.post(ADD_URL, form_data(product, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "De uren zijn niet opgeslagen" in response.content.decode()
    assert not HourRegistration.objects.exists()


def test_the_24_hour_message_counts_what_is_already_registered(worker_client, worker, product):
    make_hours(worker, product, hours="20")
    response = worker_client.post(ADD_URL, form_data(product, hours="4,5"))
    assert (
        "op 04-11-2026 staat al 20 uur; met 4,5 uur erbij wordt het 24,5 uur"
        in response.content.decode()
    )
    assert HourRegistration.objects.count() == 1


def test_add_on_a_case_copies_its_area(worker_client, product, case):
    worker_client.post(ADD_URL, form_data(product, case=case.pk))
    registration = HourRegistration.objects.get()
    assert registration.case == case and registration.pc4 == "2131"


def test_add_refuses_a_case_of_another_team(worker_client, product):
    other_case = CaseFactory(product=product)
    response = worker_client.post(ADD_URL, form_data(product, case=other_case.pk))
    assert "Kies een traject uit de lijst." in response.content.decode()
    assert not HourRegistration.objects.exists()


def test_add_refuses_a_case_of_another_product(worker_client, catalogue, case):
    product = catalogue["formulierenbrigade"]
    response = worker_client.post(ADD_URL, form_data(product, case=case.pk))
    assert "Dit traject hoort bij 1-5 gesprekken, niet bij Formulierenbrigade." in (
        response.content.decode()
    )
    assert not HourRegistration.objects.exists()


def test_add_refuses_a_date_in_a_closed_period(worker_client, product, make_user):
    ClosedPeriod.objects.create(
        start_date=MONDAY, end_date=SUNDAY, closed_by=make_user(role=Role.MANAGER)
    )
    response = worker_client.post(ADD_URL, form_data(product))
    assert "afgesloten voor de rapportage" in response.content.decode()
    assert not HourRegistration.objects.exists()


def test_add_returns_to_a_safe_next_url(worker_client, product, case):
    case_url = f"/trajecten/{case.pk}/"
    response = worker_client.post(ADD_URL, {**form_data(product), "next": case_url})
    assert response.status_code == 302 and response.url == case_url


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_add_ignores_an_unsafe_next_url(worker_client, product, next_url):
    response = worker_client.post(ADD_URL, {**form_data(product), "next": next_url})
    assert response.status_code == 302 and response.url == f"{WEEK_URL}?week=2026-W45"


def test_add_page_keeps_the_next_url_when_the_input_is_refused(worker_client, product):
    response = worker_client.post(
        ADD_URL, {**form_data(product, hours="25"), "next": "/trajecten/7/"}
    )
    content = response.content.decode()
    assert 'name="next" value="/trajecten/7/"' in content
    assert 'href="/trajecten/7/"' in content  # the way back


def test_case_page_partial_posts_the_case_along_hidden(worker_client, worker, product, case):
    """What the case page does: include the partial with hour_form_for_case(...)."""
    form = hour_form_for_case(worker, case)
    html = Template(
        '{% include "cases/hours/_form.html" with form=hour_form next=case_url %}'
    ).render(Context({"hour_form": form, "case_url": f"/trajecten/{case.pk}/"}))
    assert f'action="{ADD_URL}"' in html
    assert f'type="hidden" name="case" value="{case.pk}"' in html
    assert f'type="hidden" name="product" value="{product.pk}"' in html
    assert f'name="next" value="/trajecten/{case.pk}/"' in html
    assert 'name="hours"' in html and 'type="date"' in html

    data = {
        "case": case.pk,
        "product": product.pk,
        "date": timezone.localdate().isoformat(),
        "kind": HourKind.DIRECT,
        "hours": "0,75",
        "note": "Telefonisch contact",
        "next": f"/trajecten/{case.pk}/",
    }
    response = worker_client.post(ADD_URL, data)
    assert response.url == f"/trajecten/{case.pk}/"
    assert HourRegistration.objects.get().case == case


def test_case_select_offers_the_users_open_cases_only(worker_client, team, product, case):
    closed = CaseFactory(
        client=ClientFactory(team=team, last_name="Afgeslotenheim"),
        product=product,
        status=CaseStatus.CLOSED,
    )
    other_team = CaseFactory(client=ClientFactory(last_name="Anderteam"), product=product)
    form = worker_client.get(WEEK_URL).context["form"]
    offered = {value for value, _label in form.fields["case"].widget.choices if value}
    assert offered == {case.pk}
    assert closed.pk not in offered and other_team.pk not in offered


# --- the week ------------------------------------------------------------------------


def test_week_shows_days_totals_and_navigation(worker_client, worker, product, case):
    make_hours(worker, product, hours="6", case=case, note="Huisbezoek")
    make_hours(worker, product, hours="1.5")
    make_hours(worker, product, date=SUNDAY, hours="0.25")
    make_hours(worker, product, date=SUNDAY + datetime.timedelta(days=1), hours="3")  # next week

    response = worker_client.get(WEEK_URL, {"week": "2026-W45"})
    content = response.content.decode()
    assert response.context["monday"] == MONDAY and response.context["sunday"] == SUNDAY
    assert '<strong data-testid="week-total">7,75</strong>' in content
    assert 'data-testid="day-total-2026-11-04">7,5<' in content
    assert 'data-testid="day-total-2026-11-08">0,25<' in content
    assert "Fatima Bakker" in content and "Huisbezoek" in content
    assert "woensdag 4 november" in content
    assert "?week=2026-W44" in content and "?week=2026-W46" in content
    assert [len(day.registrations) for day in response.context["days"]] == [0, 0, 2, 0, 0, 0, 1]


def test_week_navigation_crosses_the_year(worker_client):
    response = worker_client.get(WEEK_URL, {"week": "2026-W01"})
    assert response.context["monday"] == datetime.date(2025, 12, 29)
    assert response.context["previous_week"] == "2025-W52"
    assert response.context["next_week"] == "2026-W02"


def test_week_without_parameter_is_this_week(worker_client):
    today = timezone.localdate()
    response = worker_client.get(WEEK_URL)
    assert response.context["monday"] <= today <= response.context["sunday"]
    assert response.context["monday"].weekday() == 0
    assert response.context["is_this_week"]


@pytest.mark.parametrize("week", ["2026-W54", "gisteren", "2026-47", "0001-W01", "9999-W52"])
def test_unknown_week_shows_this_week_with_a_message(worker_client, week):
    response = worker_client.get(WEEK_URL, {"week": week})
    assert response.status_code == 200
    assert response.context["is_this_week"]
    assert "bestaat niet; hieronder staat deze week" in response.content.decode()


def test_closed_days_show_no_edit_links(worker_client, worker, product, make_user):
    registration = make_hours(worker, product)
    ClosedPeriod.objects.create(
        start_date=MONDAY, end_date=WEDNESDAY, closed_by=make_user(role=Role.MANAGER)
    )
    content = worker_client.get(WEEK_URL, {"week": "2026-W45"}).content.decode()
    assert "periode afgesloten" in content
    assert reverse("hours:edit", args=[registration.pk]) not in content


def test_week_query_count_does_not_grow_with_rows(
    worker_client, worker, team, product, django_assert_max_num_queries
):
    make_hours(worker, product)
    with CaptureQueriesContext(connection) as one_row:
        worker_client.get(WEEK_URL, {"week": "2026-W45"})
    for offset in range(20):
        client = ClientFactory(team=team)
        row_case = CaseFactory(client=client, product=product, status=CaseStatus.ACTIVE)
        make_hours(
            worker,
            product,
            date=MONDAY + datetime.timedelta(days=offset % 7),
            hours="0.25",
            case=row_case,
        )
    with django_assert_max_num_queries(len(one_row)):
        response = worker_client.get(WEEK_URL, {"week": "2026-W45"})
    assert sum(len(day.registrations) for day in response.context["days"]) == 21


# --- editing and deleting ------------------------------------------------------------


def test_edit_shows_the_hours_the_dutch_way_and_saves_changes(worker_client, worker, product):
    registration = make_hours(worker, product, hours="1.5")
    url = reverse("hours:edit", args=[registration.pk])
    assert 'value="1,5"' in worker_client.get(url).content.decode()

    response = worker_client.post(url, form_data(product, hours="2,25", note="Verslag"))
    assert response.status_code == 302 and response.url == f"{WEEK_URL}?week=2026-W45"
    registration.refresh_from_db()
    assert (registration.hours, registration.note) == (Decimal("2.25"), "Verslag")


def test_edit_with_bad_input_keeps_the_old_values(worker_client, worker, product):
    registration = make_hours(worker, product, hours="1.5")
    make_hours(worker, product, hours="20")
    url = reverse("hours:edit", args=[registration.pk])
    response = worker_client.post(url, form_data(product, hours="4,25"))
    assert response.status_code == 200
    assert "Meer dan 24 uur op één dag kan niet" in response.content.decode()
    registration.refresh_from_db()
    assert registration.hours == Decimal("1.5")


def test_edit_in_a_closed_period_shows_a_notice_and_changes_nothing(
    worker_client, worker, product, make_user
):
    registration = make_hours(worker, product)
    ClosedPeriod.objects.create(
        start_date=MONDAY, end_date=SUNDAY, closed_by=make_user(role=Role.MANAGER)
    )
    url = reverse("hours:edit", args=[registration.pk])
    assert "kan niet meer worden gewijzigd" in worker_client.get(url).content.decode()
    worker_client.post(url, form_data(product, hours="3"))
    registration.refresh_from_db()
    assert registration.hours == Decimal("1.5")


def test_delete_asks_for_confirmation_then_deletes(worker_client, worker, product):
    registration = make_hours(worker, product)
    url = reverse("hours:delete", args=[registration.pk])
    response = worker_client.get(url)
    assert "Weet u zeker dat u deze uren wilt verwijderen?" in response.content.decode()
    assert HourRegistration.objects.exists()
    response = worker_client.post(url)
    assert response.status_code == 302 and response.url == f"{WEEK_URL}?week=2026-W45"
    assert not HourRegistration.objects.exists()


def test_delete_in_a_closed_period_is_refused(worker_client, worker, product, make_user):
    registration = make_hours(worker, product)
    ClosedPeriod.objects.create(
        start_date=MONDAY, end_date=SUNDAY, closed_by=make_user(role=Role.MANAGER)
    )
    response = worker_client.post(reverse("hours:delete", args=[registration.pk]))
    assert response.status_code == 200
    assert "kunnen niet meer worden toegevoegd, gewijzigd of verwijderd" in (
        response.content.decode()
    )
    assert HourRegistration.objects.filter(pk=registration.pk).exists()
