"""The manager dashboard: figures from the roll-up tables, publication safety, permissions,
a constant query count, Herberekenen with progress, and closing a period."""

import datetime
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.choices import HourKind
from cases.models import ClosedPeriod
from cases.services.hours import register_hours
from catalogue.models import Area, Product
from meerwaarde.accounts.models import Role
from reporting import services, tasks
from reporting.models import (
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    RollupRun,
    RollupStatus,
    ValueStatus,
)
from reporting.periods import periods_of_year
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

# A frozen clock early in the year: the current year and PAST_YEAR stay what the tests say
# while the suite runs, also across New Year's Eve.
TODAY = datetime.date(2026, 1, 5)
PAST_YEAR = TODAY.year - 1
URL = reverse("reporting:dashboard")


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(
        datetime.datetime.combine(
            TODAY, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
        ),
        tick=False,
    )


@pytest.fixture
def manager(make_user, login):
    user = make_user(role=Role.MANAGER)
    login(user)
    return user


@pytest.fixture
def values(catalogue):
    """Writes IndicatorValue rows as a roll-up would, for the periods of PAST_YEAR."""
    rows = services.ensure_periods(periods_of_year(PAST_YEAR))
    ReportingPeriod.objects.filter(year=PAST_YEAR).update(computed_at=timezone.now())
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}

    def add(code, key, value, *, product=None, area=None, unknown=False, suppressed=False, **kw):
        return IndicatorValue.objects.create(
            indicator=indicators[code],
            period=rows[key],
            product=catalogue[product] if product else None,
            area=Area.objects.get(kind="kern", name=area) if area else None,
            area_unknown=unknown,
            value=Decimal(value),
            numerator=kw.get("numerator", Decimal(value)),
            denominator=kw.get("denominator"),
            suppressed=suppressed,
            computed_at=timezone.now(),
        )

    return add


def dashboard(client, key=str(PAST_YEAR)):
    return client.get(URL, {"periode": key})


def table(html: str, testid: str) -> str:
    match = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert match, f"table {testid} missing"
    return match.group(0)


def row_of(html: str, label: str) -> str:
    match = re.search(rf"<tr[^>]*>\s*<th[^>]*>{re.escape(label)}</th>.*?</tr>", html, re.S)
    assert match, f"row {label} missing"
    return match.group(0)


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


# --- what the page shows ---------------------------------------------------------------------


def test_manager_sees_tiles_charts_tables_and_the_monitor_in_dutch_number_format(
    client, manager, values
):
    key = str(PAST_YEAR)
    values("uren_gerealiseerd", key, "1234.5")
    values("uren_realisatie_pct", key, "80", numerator=Decimal("1000"), denominator=Decimal("1250"))
    values("uren_realisatie_pct", key, "62.5", product="1-5-gesprekken", numerator=Decimal("500"),
           denominator=Decimal("800"))  # fmt: skip
    values("clienten_bereikt", key, "321")
    values("vrijwilligers_actief", key, "57")
    values("wachttijd_match_weken", key, "6.4")
    values("uren_gerealiseerd", f"{PAST_YEAR}-03", "98.25")
    values("uren_gerealiseerd", key, "700", area="Hoofddorp")
    values("uren_gerealiseerd", key, "12", unknown=True)
    values("trajecten_afgesloten", key, "44", product="1-5-gesprekken")

    response = dashboard(client)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tile-hours">1.234,5' in html
    assert 'data-testid="tile-realisation">80&nbsp;%' in html
    assert 'data-testid="tile-clients">321' in html
    assert 'data-testid="tile-volunteers">57' in html
    assert 'data-testid="tile-wait">6,4' in html
    assert "98,25" in row_of(table(html, "table-months"), "maart")
    product_row = row_of(table(html, "table-products"), catalogue_name("1-5-gesprekken"))
    assert "500" in product_row and "800" in product_row and "62,5&nbsp;%" in product_row
    areas = table(html, "table-areas")
    assert "700" in row_of(areas, "Hoofddorp")
    assert "12" in row_of(areas, "onbekend")
    assert "44" in row_of(table(html, "table-outcomes"), catalogue_name("1-5-gesprekken"))
    monitor = table(html, "table-monitor")
    for indicator in Indicator.objects.all():
        assert f'data-indicator="{indicator.code}"' in monitor
    assert "voorlopig" in row_of(monitor, "Gerealiseerde uren")
    # Nothing registered in a computed period: zero, not an empty cell.
    assert re.search(r'text-end">0</td>', row_of(monitor, "Doorverwijzingen"))
    data = chart_data(response)
    assert data["months"]["hours"][2] == 98.25
    assert data["areas"]["labels"] == ["Hoofddorp", "onbekend"]
    # Charts come from static files only: no inline script (the CSP forbids it).
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)


def catalogue_name(slug):
    return Product.objects.get(slug=slug).name


def test_suppressed_breakdowns_show_lt5_and_never_the_number(client, manager, values):
    key = str(PAST_YEAR)
    values("clienten_bereikt", key, "321")
    values("clienten_bereikt", key, "3", area="Nieuw-Vennep", suppressed=True)
    values("uren_gerealiseerd", key, "77", area="Nieuw-Vennep")
    values("trajecten_afgesloten", key, "4", product="burenhulp", suppressed=True)
    values("doel_behaald_pct", key, "66.67", product="burenhulp", suppressed=True,
           numerator=Decimal("2"), denominator=Decimal("3"))  # fmt: skip

    response = dashboard(client)

    html = response.content.decode()
    kern_row = row_of(table(html, "table-areas"), "Nieuw-Vennep")
    assert "&lt;5" in kern_row and "77" in kern_row
    assert not re.search(r"\d", re.sub(r"77|&lt;5", "", re.sub(r"<[^>]+>", "", kern_row)))
    outcome_row = row_of(table(html, "table-outcomes"), catalogue_name("burenhulp"))
    cells = re.sub(r"<[^>]+>", " ", outcome_row)
    assert cells.count("&lt;5") == 2
    assert not re.search(r"\d", cells.replace("&lt;5", ""))
    assert "66,67" not in html
    data = chart_data(response)
    assert data["areas"]["clients"] == [None]
    assert data["outcomes"]["closed"] == [None]
    assert data["outcomes"]["goal"] == [None]


def test_figures_rolled_up_from_registered_hours_reach_the_dashboard(
    client, manager, make_user, catalogue
):
    team = TeamFactory()
    worker = make_user(role=Role.SOCIAL_WORKER, teams=[team])
    product = catalogue["1-5-gesprekken"]
    hoofddorp = Area.objects.get(kind="kern", name="Hoofddorp")
    case = CaseFactory(client=ClientFactory(team=team, kern=hoofddorp), product=product)
    day = TODAY - datetime.timedelta(days=3)
    register_hours(worker=worker, date=day, hours=Decimal("2.5"), product=product,
                   kind=HourKind.DIRECT, case=case, created_by=worker)  # fmt: skip
    month = f"{day.year}-{day.month:02d}"
    services.rollup([month])

    response = dashboard(client, month)

    html = response.content.decode()
    assert 'data-testid="tile-hours">2,5' in html
    kern_row = row_of(table(html, "table-areas"), "Hoofddorp")
    assert "2,5" in kern_row
    # One resident reached in Hoofddorp: counted in the municipality's total, "<5" in the kern.
    assert 'data-testid="tile-clients">1' in html
    assert "&lt;5" in kern_row


def test_an_unknown_period_gets_a_dutch_message_and_the_current_year(client, manager):
    response = dashboard(client, "2025-Q7")

    assert response.status_code == 200
    assert "Onbekende periode 2025-Q7" in response.content.decode()
    assert response.context["period"].key == str(TODAY.year)


def test_the_current_year_is_shown_by_default(client, manager):
    response = client.get(URL)

    assert response.context["period"].key == str(TODAY.year)
    assert 'data-testid="not-computed"' in response.content.decode()


# --- who may ---------------------------------------------------------------------------------


def test_social_worker_gets_403(client, make_user, login):
    login(make_user(role=Role.SOCIAL_WORKER))

    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_coordinator_reads_along_but_cannot_recompute_or_close(client, make_user, login):
    login(make_user(role=Role.COORDINATOR))

    html = client.get(URL).content.decode()
    assert 'data-testid="recompute"' not in html
    assert client.post(reverse("reporting:recompute"), {"periode": "2024"}).status_code == 403
    assert client.get(reverse("reporting:close_period")).status_code == 403
    assert not RollupRun.objects.exists()


def test_manager_home_links_to_the_dashboard(client, manager):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{URL}" data-testid="dashboard-link"' in html


# --- cost ------------------------------------------------------------------------------------


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = dashboard(client)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_products_kernen_or_months(client, manager, values):
    key = str(PAST_YEAR)
    values("uren_gerealiseerd", key, "10")
    values("uren_realisatie_pct", key, "50", product="1-5-gesprekken", denominator=Decimal("20"))
    values("uren_gerealiseerd", key, "10", area="Hoofddorp")
    values("uren_gerealiseerd", f"{PAST_YEAR}-01", "10")
    dashboard(client)  # warm up session and caches
    small = count_queries(client)

    slugs = list(Product.objects.values_list("slug", flat=True)[:15])
    kernen = list(
        Area.objects.filter(kind="kern").exclude(name="Hoofddorp").values_list("name", flat=True)
    )
    for slug in slugs:
        if slug == "1-5-gesprekken":
            continue
        values("uren_realisatie_pct", key, "75", product=slug, denominator=Decimal("40"))
        values("trajecten_afgesloten", key, "9", product=slug)
        values("doel_behaald_pct", key, "60", product=slug, denominator=Decimal("9"))
    for kern in kernen:
        values("uren_gerealiseerd", key, "5", area=kern)
        values("clienten_bereikt", key, "2", area=kern, suppressed=True)
    values("clienten_bereikt", key, "3", unknown=True, suppressed=True)
    for month in range(2, 13):
        values("uren_gerealiseerd", f"{PAST_YEAR}-{month:02d}", "10")
        values("uren_realisatie_pct", f"{PAST_YEAR}-{month:02d}", "50", denominator=Decimal("20"))
    large = count_queries(client)

    assert len(kernen) > 3
    assert large == small


# --- Herberekenen ----------------------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    """Records what would go to the broker instead of sending it."""
    sent = []
    monkeypatch.setattr(tasks.execute_run, "delay", lambda run_id: sent.append(run_id))
    return sent


def test_recompute_creates_a_run_queues_it_after_commit_and_the_fragment_follows_it(
    client, manager, queued, django_capture_on_commit_callbacks
):
    key = f"{PAST_YEAR}-Q2"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:recompute"), {"periode": key})

    assert response.status_code == 302
    run = RollupRun.objects.get()
    assert queued == [run.pk]
    assert run.requested_by == manager
    assert set(run.periods) == {
        f"{PAST_YEAR}-04", f"{PAST_YEAR}-05", f"{PAST_YEAR}-06", key, f"{PAST_YEAR}-H1",
        str(PAST_YEAR),
    }  # fmt: skip
    page = client.get(response.url).content.decode()
    assert 'data-testid="run-status" data-status="wachtrij" data-percent="0"' in page
    status_url = reverse("reporting:run_status", args=[run.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in page

    RollupRun.objects.filter(pk=run.pk).update(status=RollupStatus.RUNNING, periods_done=3)
    fragment = client.get(status_url, headers={"HX-Request": "true"})
    assert 'data-status="bezig" data-percent="50"' in fragment.content.decode()
    assert "hx-trigger" in fragment.content.decode()
    assert "HX-Refresh" not in fragment.headers

    services.execute_run(run.pk)
    fragment = client.get(status_url, headers={"HX-Request": "true"})
    assert 'data-status="klaar" data-percent="100"' in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()
    assert fragment.headers["HX-Refresh"] == "true"
    assert ReportingPeriod.objects.get(key=key).computed_at is not None


def test_recompute_with_the_broker_down_fails_the_run_with_a_dutch_message(
    client, manager, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(run_id):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.execute_run, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:recompute"), {"periode": str(PAST_YEAR)})

    assert response.status_code == 302
    run = RollupRun.objects.get()
    assert run.status == RollupStatus.FAILED
    assert "taakwachtrij is niet bereikbaar" in run.message
    page = client.get(response.url).content.decode()
    assert "De laatste herberekening is mislukt." in page
    assert "taakwachtrij is niet bereikbaar" in page


def test_recompute_of_a_bad_period_saves_nothing(client, manager, queued):
    response = client.post(reverse("reporting:recompute"), {"periode": "2025-Q9"}, follow=True)

    assert "Onbekende periode 2025-Q9" in response.content.decode()
    assert not RollupRun.objects.exists()
    assert queued == []


# --- closing a period ------------------------------------------------------------------------

CLOSE_URL = reverse("reporting:close_period")


def test_manager_closes_a_past_period_after_confirming_and_it_shows_definitief(client, manager):
    key = f"{PAST_YEAR}-Q1"
    assert client.get(CLOSE_URL, {"periode": key}).status_code == 200

    response = client.post(CLOSE_URL, {"periode": key, "bevestigen": "on"})

    assert response.status_code == 302
    period = ReportingPeriod.objects.get(key=key)
    assert period.status == ValueStatus.FINAL
    assert ReportingPeriod.objects.get(key=f"{PAST_YEAR}-02").status == ValueStatus.FINAL
    assert ReportingPeriod.objects.get(key=f"{PAST_YEAR}-H1").status == ValueStatus.PROVISIONAL
    closure = ClosedPeriod.objects.get()
    assert (closure.start_date, closure.end_date, closure.closed_by) == (
        datetime.date(PAST_YEAR, 1, 1),
        datetime.date(PAST_YEAR, 3, 31),
        manager,
    )
    html = client.get(response.url).content.decode()
    assert "gesloten; de cijfers zijn nu definitief" in html
    status = re.search(r'data-testid="period-status">.*?</p>', html, re.S).group(0)
    assert "definitief" in status
    assert 'data-testid="close-period"' not in html
    assert "definitief" in row_of(table(html, "table-monitor"), "Gerealiseerde uren")


def test_closed_on_the_dashboard_hours_are_refused_until_the_beheerder_reopens_it(
    client, manager, login, make_user, catalogue
):
    """Closing goes through the one owner of closed periods; a reopen by the functioneel
    beheerder (with a reason) makes the figures voorlopig again, on the dashboard and in
    the API, and the hours bookable."""
    key = f"{PAST_YEAR}-Q1"
    worker = make_user(role=Role.SOCIAL_WORKER)

    def book():
        return register_hours(worker=worker, date=datetime.date(PAST_YEAR, 2, 3),
                              hours=Decimal("2"), product=catalogue["menes"],
                              kind=HourKind.COORDINATION, created_by=worker)  # fmt: skip

    def api_statuses() -> set[str]:
        out = StringIO()
        call_command("create_api_token", "--username", "gemeente", stdout=out, stderr=StringIO())
        token = out.getvalue().strip()
        response = client.get(
            "/api/v1/indicators/", {"period": key}, HTTP_AUTHORIZATION=f"Token {token}"
        )
        return {row["status"] for row in response.json()["results"]}

    book()
    client.post(CLOSE_URL, {"periode": key, "bevestigen": "on"})
    with pytest.raises(ValidationError, match="afgesloten"):
        book()
    assert api_statuses() == {"definitief"}

    login(make_user(role=Role.FUNCTIONAL_ADMIN))
    closure = ClosedPeriod.objects.get()
    reopen = reverse("admin:cases_closedperiod_reopen", args=[closure.pk])
    assert client.post(reopen, {"reason": "Te vroeg gesloten"}).status_code == 302

    assert ReportingPeriod.objects.get(key=key).status == ValueStatus.PROVISIONAL
    assert api_statuses() == {"voorlopig"}
    login(manager)
    html = dashboard(client, key).content.decode()
    status = re.search(r'data-testid="period-status">.*?</p>', html, re.S).group(0)
    assert "definitief" not in status
    assert 'data-testid="close-period"' in html
    assert "voorlopig" in row_of(table(html, "table-monitor"), "Gerealiseerde uren")
    assert book().hours == Decimal("2")


def test_closing_needs_the_confirmation(client, manager):
    response = client.post(CLOSE_URL, {"periode": f"{PAST_YEAR}-Q1"})

    assert response.status_code == 200
    assert "Vink aan dat u de periode definitief wilt sluiten." in response.content.decode()
    assert not ReportingPeriod.objects.filter(closed_at__isnull=False).exists()


def test_closing_the_current_period_is_refused_with_the_dutch_message(client, manager):
    response = client.post(CLOSE_URL, {"periode": str(TODAY.year), "bevestigen": "on"})

    assert response.status_code == 200
    assert "Een periode kan pas worden gesloten als die voorbij is." in response.content.decode()
    assert not ReportingPeriod.objects.filter(closed_at__isnull=False).exists()
    assert not ClosedPeriod.objects.exists()
