"""Downloads for managers (indicator table, hours per product; CSV for Excel and XLSX) and the
indicator admin of the functioneel beheerder."""

import datetime
import io
import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.models import Area, AreaKind, HourBudget, Product
from catalogue.services import save_hour_budget
from meerwaarde.accounts.models import Role
from reporting import services
from reporting.models import Indicator, IndicatorValue
from reporting.periods import parse_period
from reporting.reference_data import load_indicators
from tests.reporting.interface import INDICATOR_FIELDS

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


@pytest.fixture
def indicators(catalogue):
    load_indicators()
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


@pytest.fixture
def add_value(indicators):
    def add(code, period, *, product=None, area=None, value, suppressed=False, **numbers):
        row = services.ensure_periods([parse_period(period)])[period]
        return IndicatorValue.objects.create(
            indicator=indicators[code],
            period=row,
            product=Product.objects.get(slug=product) if product else None,
            area=None if area in (None, "onbekend") else Area.objects.get(name=area, kind="kern"),
            area_unknown=area == "onbekend",
            value=Decimal(value) if value is not None else None,
            numerator=numbers.get("numerator"),
            denominator=numbers.get("denominator"),
            suppressed=suppressed,
            computed_at=timezone.now(),
        )

    return add


@pytest.fixture
def manager_client(login, make_user):
    return login(make_user(role=Role.MANAGER))


def indicators_url(file_format="csv", **params):
    url = reverse("reporting_exports:indicators", kwargs={"file_format": file_format})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def hours_url(file_format="csv", **params):
    url = reverse("reporting_exports:hours_per_product", kwargs={"file_format": file_format})
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def csv_lines(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    return [line.split(";") for line in text[1:].split("\r\n") if line]


# --- indicator table --------------------------------------------------------------------


def test_indicator_csv_is_for_excel_and_suppresses_small_counts(manager_client, add_value):
    add_value("uren_gerealiseerd", "2025-Q2", value="12.50", numerator=Decimal("12.50"))
    add_value(
        "clienten_bereikt",
        "2025-Q2",
        product="menes",
        area="Hoofddorp",
        value="3",
        numerator=Decimal("3"),
        suppressed=True,
    )

    response = manager_client.get(indicators_url(period="2025-Q2"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="indicatoren-2025-Q2.csv"'
    header, *rows = csv_lines(response)
    assert header == INDICATOR_FIELDS
    by_code = {row[0]: row for row in rows}
    assert by_code["uren_gerealiseerd"] == [
        "uren_gerealiseerd", "2025-Q2", "", "", "12,5", "12,5", "", "voorlopig", "nee",
    ]  # fmt: skip
    # A suppressed count publishes "<5" and no number anywhere in its row.
    assert by_code["clienten_bereikt"] == [
        "clienten_bereikt", "2025-Q2", "menes", "Hoofddorp", "<5", "", "", "voorlopig", "ja",
    ]  # fmt: skip
    assert "3" not in by_code["clienten_bereikt"]


def test_indicator_xlsx_opens_and_holds_the_rows(manager_client, add_value):
    add_value("uren_medewerkers", "2025-03", product="menes", value="7.25", numerator=7.25)
    add_value("clienten_bereikt", "2025-03", area="onbekend", value="2", suppressed=True)

    response = manager_client.get(indicators_url("xlsx", period="2025-03"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicatoren-2025-03.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("indicator", "period", "product", "area", "value")
    assert ("uren_medewerkers", "2025-03", "menes", None, 7.25) in [r[:5] for r in rows]
    suppressed = next(r for r in rows if r[0] == "clienten_bereikt")
    assert suppressed == ("clienten_bereikt", "2025-03", None, "onbekend", "<5", None, None,
                          "voorlopig", "ja")  # fmt: skip


def test_a_name_that_looks_like_a_formula_is_neutralised(manager_client, add_value):
    Area.objects.create(name='=HYPERLINK("http://x")', kind=AreaKind.KERN)
    add_value("uren_gerealiseerd", "2025", area='=HYPERLINK("http://x")', value="4")

    csv_rows = csv_lines(manager_client.get(indicators_url(period="2025")))
    xlsx = load_workbook(
        io.BytesIO(manager_client.get(indicators_url("xlsx", period="2025")).content)
    )

    assert [row[3] for row in csv_rows[1:]] == ['"\'=HYPERLINK(""http://x"")"']
    assert [row[3] for row in xlsx.active.iter_rows(min_row=2, values_only=True)] == [
        '\'=HYPERLINK("http://x")'
    ]


def test_only_the_chosen_period_and_indicator_are_exported(manager_client, add_value):
    add_value("uren_gerealiseerd", "2025-Q1", value="1")
    add_value("uren_gerealiseerd", "2025-Q2", value="2")
    add_value("uren_medewerkers", "2025-Q2", value="3")

    response = manager_client.get(indicators_url(period="2025-Q2", indicator="uren_medewerkers"))

    assert [row[:2] for row in csv_lines(response)[1:]] == [["uren_medewerkers", "2025-Q2"]]
    assert "indicatoren-2025-Q2-uren_medewerkers.csv" in response["Content-Disposition"]


def test_without_a_period_the_current_year_is_exported(manager_client, add_value):
    this_year = timezone.localdate().year
    add_value("uren_gerealiseerd", str(this_year), value="5")
    add_value("uren_gerealiseerd", str(this_year - 1), value="6")

    response = manager_client.get(indicators_url())

    assert [row[1] for row in csv_lines(response)[1:]] == [str(this_year)]
    assert f"indicatoren-{this_year}.csv" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2025-Q5"}, "Onbekende periode"),
        ({"period": "kwartaal"}, "Onbekende periode"),
        ({"period": "2025-13"}, "De maand 2025-13 bestaat niet"),
        ({"period": "1999"}, "valt buiten"),
        ({"period": "2025", "indicator": "bestaat_niet"}, "Onbekende indicator bestaat_niet"),
    ],
)
def test_bad_input_gets_a_dutch_400(manager_client, indicators, params, message):
    for url in (indicators_url(**params), hours_url("xlsx", **params)):
        if "indicator" in params and "uren-per-product" in url:
            continue  # hours per product has no indicator filter
        response = manager_client.get(url)
        assert response.status_code == 400
        assert message in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SOCIAL_WORKER, 403),
        (Role.COORDINATOR, 403),
        (Role.MUNICIPALITY_API, 403),
        (Role.MANAGER, 200),
        (Role.FUNCTIONAL_ADMIN, 200),
    ],
)
def test_who_may_download(login, make_user, indicators, role, status):
    client = login(make_user(role=role))
    for url in (indicators_url(period="2025"), hours_url("xlsx", period="2025")):
        assert client.get(url).status_code == status


def test_a_download_needs_a_login(client, indicators):
    response = client.get(indicators_url(period="2025"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_download_is_logged_without_personal_data(manager_client, indicators, caplog):
    with caplog.at_level(logging.INFO, logger="reporting.views_exports"):
        manager_client.get(indicators_url("xlsx", period="2025-H1"))
    (record,) = [r for r in caplog.records if r.name == "reporting.views_exports"]
    message = record.getMessage()
    assert "indicatoren (xlsx)" in message
    assert "period=2025-H1" in message
    assert "user_id=" in message


def test_export_cost_does_not_grow_with_rows(
    manager_client, add_value, django_assert_max_num_queries
):
    for slug in list(Product.objects.values_list("slug", flat=True))[:20]:
        add_value("uren_gerealiseerd", "2025", product=slug, value="1")
    with django_assert_max_num_queries(12):
        assert manager_client.get(indicators_url(period="2025")).status_code == 200
    with django_assert_max_num_queries(12):
        assert manager_client.get(hours_url(period="2025")).status_code == 200


# --- hours per product -------------------------------------------------------------------

HOURS_IMPORT = [
    "datum;medewerker;product;uren;client;kern;soort",
    "10-03-2025;jjansen;menes;1,5;;Hoofddorp;",
    "11-03-2025;jjansen;menes;2;;Nieuw-Vennep;",
    "02-02-2025;jjansen;buurt-en-groepsbemiddeling;3,25;;;",
    "20-05-2025;jjansen;menes;0,75;;Hoofddorp;",  # another quarter
]


@pytest.fixture
def rolled_up_hours(indicators, make_user, tmp_path, settings):
    # Fixed dates in 2025: the organisation here registers from 2025 on, whatever today is.
    settings.EARLIEST_REGISTRATION_DATE = datetime.date(2025, 1, 1)
    make_user(role=Role.SOCIAL_WORKER, username="jjansen")
    path = tmp_path / "uren.csv"
    path.write_text("\n".join(HOURS_IMPORT) + "\n", encoding="utf-8")
    call_command("import_hours", str(path), stdout=StringIO(), stderr=StringIO())
    budget = HourBudget.objects.filter(product__slug="menes", year=2025).first()
    budget = budget or HourBudget(product=Product.objects.get(slug="menes"), year=2025)
    budget.agreed_hours, budget.planned_units = Decimal("120"), None
    save_hour_budget(budget=budget)
    HourBudget.objects.filter(year=2025).exclude(product__slug="menes").delete()
    services.rollup(["2025-Q1"])


def test_hours_per_product_csv_comes_from_the_roll_up(manager_client, rolled_up_hours):
    response = manager_client.get(hours_url(period="2025-Q1"))

    assert response["Content-Disposition"] == 'attachment; filename="uren-per-product-2025-Q1.csv"'
    header, *rows = csv_lines(response)
    assert header == [
        "Product",
        "Gerealiseerde uren",
        "Uren medewerkers",
        "Uren vrijwilligers",
        "Begrote uren",
        "Realisatie (%)",
        "Status",
    ]
    menes = Product.objects.get(slug="menes").name
    mediation = Product.objects.get(slug="buurt-en-groepsbemiddeling").name
    by_name = {row[0]: row for row in rows}
    # Q1: 1,5 + 2 hours of MeNeS against a quarter of 120 budgeted hours = 30 → 11,67 %.
    assert by_name[menes][1:3] == ["3,5", "3,5"]
    assert by_name[menes][4:] == ["30", "11,67", "voorlopig"]
    assert by_name[mediation][1:3] == ["3,25", "3,25"]
    assert by_name[mediation][4:6] == ["", ""]  # no numeric budget
    assert rows[-1][0] == "Totaal"
    assert rows[-1][1] == "6,75"


def test_hours_per_product_xlsx_has_numbers(manager_client, rolled_up_hours):
    response = manager_client.get(hours_url("xlsx", period="2025-Q1"))

    assert response["Content-Disposition"] == 'attachment; filename="uren-per-product-2025-Q1.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    menes = next(r for r in rows if r[0] == Product.objects.get(slug="menes").name)
    assert menes[1] == 3.5
    assert menes[4:6] == (30, 11.67)


def test_a_product_name_that_looks_like_a_formula_is_neutralised(manager_client, add_value):
    Product.objects.filter(slug="menes").update(name="=1+1 MeNeS")
    add_value("uren_gerealiseerd", "2025", product="menes", value="8")

    csv_rows = csv_lines(manager_client.get(hours_url(period="2025")))
    xlsx_rows = list(
        load_workbook(
            io.BytesIO(manager_client.get(hours_url("xlsx", period="2025")).content)
        ).active.iter_rows(min_row=2, values_only=True)
    )

    assert csv_rows[1][0] == "'=1+1 MeNeS"
    assert xlsx_rows[0][0] == "'=1+1 MeNeS"


# --- the indicator admin (functioneel beheerder) ----------------------------------------


@pytest.fixture
def admin_client(login, make_user, indicators):
    return login(make_user(role=Role.FUNCTIONAL_ADMIN))


def test_the_functional_admin_retires_an_indicator(admin_client, indicators):
    indicator = indicators["pluspunt_contacten"]
    response = admin_client.post(
        reverse("admin:reporting_indicator_changelist"),
        {"action": "retire", "_selected_action": [indicator.pk]},
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.active_to == timezone.localdate()
    assert indicators["uren_gerealiseerd"].active_to is None


def test_the_functional_admin_cannot_change_a_definition(admin_client, indicators):
    indicator = indicators["doorverwijzingen"]
    url = reverse("admin:reporting_indicator_change", args=[indicator.pk])

    page = admin_client.get(url)
    response = admin_client.post(
        url, {"code": "iets_anders", "name": "Anders", "active_to": "31-12-2030"}
    )

    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode()
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.code, indicator.name) == ("doorverwijzingen", "Doorverwijzingen")
    assert indicator.active_to == datetime.date(2030, 12, 31)


def test_an_indicator_cannot_end_before_it_started(admin_client, indicators):
    indicator = indicators["doorverwijzingen"]
    url = reverse("admin:reporting_indicator_change", args=[indicator.pk])

    response = admin_client.post(url, {"active_to": "31-12-2000"})

    assert response.status_code == 200
    assert "kan niet eindigen" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.active_to is None


def test_indicators_cannot_be_added_or_deleted_and_periods_are_read_only(
    admin_client, indicators, add_value
):
    add_value("uren_gerealiseerd", "2025", value="1")
    assert admin_client.get(reverse("admin:reporting_indicator_add")).status_code == 403
    indicator = indicators["doorverwijzingen"]
    assert (
        admin_client.get(
            reverse("admin:reporting_indicator_delete", args=[indicator.pk])
        ).status_code
        == 403
    )
    assert (
        admin_client.get(reverse("admin:reporting_reportingperiod_changelist")).status_code == 200
    )
    assert admin_client.get(reverse("admin:reporting_rolluprun_changelist")).status_code == 200
    period = IndicatorValue.objects.get().period
    page = admin_client.get(reverse("admin:reporting_reportingperiod_change", args=[period.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_a_manager_does_not_reach_the_indicator_admin(login, make_user, indicators):
    client = login(make_user(role=Role.MANAGER))
    response = client.get(reverse("admin:reporting_indicator_changelist"))
    assert response.status_code in (302, 403)
