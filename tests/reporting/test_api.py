"""The municipality's indicator API: token authentication for the service account, the
published rows with small counts suppressed, filters, the OpenAPI schema, and the command
that creates the service account."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from catalogue.models import Area, Product
from meerwaarde.accounts.models import Role, User
from reporting import services
from reporting.models import Indicator, IndicatorValue
from reporting.periods import parse_period
from reporting.reference_data import load_indicators
from tests.reporting.interface import INDICATOR_FIELDS

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/"
FIELDS = set(INDICATOR_FIELDS)


@pytest.fixture
def indicators(catalogue):
    load_indicators()
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def add_value(indicators, code, period, *, product=None, area=None, value, suppressed=False,
              numerator=None, denominator=None):  # fmt: skip
    row = services.ensure_periods([parse_period(period)])[period]
    return IndicatorValue.objects.create(
        indicator=indicators[code],
        period=row,
        product=Product.objects.get(slug=product) if product else None,
        area=None if area in (None, "onbekend") else Area.objects.get(name=area, kind="kern"),
        area_unknown=area == "onbekend",
        value=Decimal(value),
        numerator=numerator,
        denominator=denominator,
        suppressed=suppressed,
        computed_at=timezone.now(),
    )


@pytest.fixture
def values(indicators):
    """A small table: totals, per product, per kern, "onbekend", two periods, one suppressed."""
    add_value(indicators, "uren_gerealiseerd", "2025-Q2", value="20.5", numerator=Decimal("20.5"))
    add_value(indicators, "uren_gerealiseerd", "2025-Q2", product="menes", value="8")
    add_value(indicators, "uren_gerealiseerd", "2025-Q2", area="Hoofddorp", value="12")
    add_value(indicators, "uren_gerealiseerd", "2025-Q2", area="onbekend", value="8.5")
    add_value(
        indicators, "uren_gerealiseerd", "2025-Q2", product="menes", area="Hoofddorp", value="8"
    )
    add_value(indicators, "uren_gerealiseerd", "2024", value="100")
    add_value(
        indicators,
        "clienten_bereikt",
        "2025-Q2",
        product="menes",
        value="3",
        numerator=Decimal("3"),
        suppressed=True,
    )
    add_value(indicators, "clienten_bereikt", "2025-Q2", value="27", numerator=Decimal("27"))


def service_token(username="gemeente") -> str:
    out = StringIO()
    call_command("create_api_token", "--username", username, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def get(client, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    return client.get(URL, params, **headers)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- authentication and permission ------------------------------------------------------


def test_the_service_account_token_reads_the_published_rows(client, values):
    rows = results(get(client, service_token()))

    assert len(rows) == 8
    assert all(set(row) == FIELDS for row in rows)
    total = next(
        r for r in rows if r["indicator"] == "uren_gerealiseerd" and r["period"] == "2025-Q2"
        and r["product"] is None and r["area"] is None
    )  # fmt: skip
    assert total == {
        "indicator": "uren_gerealiseerd",
        "period": "2025-Q2",
        "product": None,
        "area": None,
        "value": 20.5,
        "numerator": 20.5,
        "denominator": None,
        "status": "voorlopig",
        "suppressed": False,
    }


def test_without_a_token_the_answer_is_401(client, values):
    response = get(client)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    # The API speaks Dutch too (reporting/api_errors.py).
    assert response.json() == {"detail": "Authenticatiegegevens zijn niet opgegeven."}


def test_a_wrong_token_is_401(client, values):
    response = get(client, "0" * 40)
    assert response.status_code == 401
    assert response.json() == {"detail": "Ongeldige token."}


def test_a_logged_in_session_is_not_enough(login, make_user, values):
    """No session authentication on the API: a manager's browser session gets 401."""
    client = login(make_user(role=Role.MANAGER))
    assert get(client).status_code == 401


def test_the_session_login_and_second_factor_do_not_stand_in_the_way(login, make_user, values):
    """A browser that is half logged in (no second factor yet) still reaches the API with a
    token: the session middleware neither redirects to the login nor to the TOTP page."""
    client = login(make_user(role=Role.SOCIAL_WORKER), verified=False)
    assert get(client, service_token()).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SOCIAL_WORKER, 403),
        (Role.COORDINATOR, 403),
        (Role.MANAGER, 200),
        (Role.FUNCTIONAL_ADMIN, 200),
    ],
)
def test_only_who_may_use_the_api_gets_rows(client, make_user, values, role, status):
    token = Token.objects.create(user=make_user(role=role))
    assert get(client, token.key).status_code == status


def test_a_deactivated_service_account_is_refused(client, values):
    token = service_token()
    User.objects.filter(username="gemeente").update(is_active=False)
    assert get(client, token).status_code == 401


def test_a_form_message_stays_django_s_dutch_while_the_api_speaks_dutch(client, values):
    # Guards the choice in reporting/api_errors.py: DRF's catalogue is not loaded, so
    # Django's own wording of form messages stays.
    from django import forms

    field = forms.CharField()
    with pytest.raises(forms.ValidationError) as error:
        field.clean("")
    assert error.value.messages == ["Dit veld is verplicht."]


def test_the_api_is_read_only(client, values):
    token = service_token()
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    refused = client.post(URL, {}, **headers)
    assert refused.status_code == 405
    assert refused.json() == {"detail": "Deze methode is niet toegestaan; de API is alleen-lezen."}
    assert client.delete(URL, **headers).status_code == 405


# --- rows and filters -------------------------------------------------------------------


def test_suppressed_rows_carry_no_numbers(client, values):
    rows = results(get(client, service_token(), indicator="clienten_bereikt", product="menes"))

    assert rows == [
        {
            "indicator": "clienten_bereikt",
            "period": "2025-Q2",
            "product": "menes",
            "area": None,
            "value": None,
            "numerator": None,
            "denominator": None,
            "status": "voorlopig",
            "suppressed": True,
        }
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"indicator": "clienten_bereikt"}, {("clienten_bereikt", "2025-Q2", "menes", None),
                                             ("clienten_bereikt", "2025-Q2", None, None)}),
        ({"period": "2024"}, {("uren_gerealiseerd", "2024", None, None)}),
        ({"year": "2024"}, {("uren_gerealiseerd", "2024", None, None)}),
        ({"indicator": "uren_gerealiseerd", "period": "2025-Q2", "product": "menes"},
         {("uren_gerealiseerd", "2025-Q2", "menes", None),
          ("uren_gerealiseerd", "2025-Q2", "menes", "Hoofddorp")}),
        ({"indicator": "uren_gerealiseerd", "period": "2025-Q2", "product": "all"},
         {("uren_gerealiseerd", "2025-Q2", None, None),
          ("uren_gerealiseerd", "2025-Q2", None, "Hoofddorp"),
          ("uren_gerealiseerd", "2025-Q2", None, "onbekend")}),
        ({"period": "2025-Q2", "area": "Hoofddorp"},
         {("uren_gerealiseerd", "2025-Q2", None, "Hoofddorp"),
          ("uren_gerealiseerd", "2025-Q2", "menes", "Hoofddorp")}),
        ({"area": "onbekend"}, {("uren_gerealiseerd", "2025-Q2", None, "onbekend")}),
        ({"period": "2025-Q2", "product": "all", "area": "all"},
         {("uren_gerealiseerd", "2025-Q2", None, None),
          ("clienten_bereikt", "2025-Q2", None, None)}),
        ({"period": "2025-Q3"}, set()),
    ],
)  # fmt: skip
def test_filters(client, values, params, expected):
    rows = results(get(client, service_token(), **params))
    assert {(r["indicator"], r["period"], r["product"], r["area"]) for r in rows} == expected


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "2025-Q5"}, "period", "Onbekende periode 2025-Q5"),
        ({"period": "2025-13"}, "period", "De maand 2025-13 bestaat niet"),
        ({"indicator": "bestaat_niet"}, "indicator", "Onbekende indicator bestaat_niet"),
        ({"product": "geen-product"}, "product", "Onbekend product geen-product"),
        ({"area": "Atlantis"}, "area", "Onbekende kern Atlantis"),
        ({"year": "twintig"}, "year", "Het jaar moet een getal zijn"),
        ({"year": "1999"}, "year", "buiten 2000–2100"),
    ],
)
def test_bad_filters_get_a_dutch_400(client, values, params, field, message):
    response = get(client, service_token(), **params)

    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


# --- pages -------------------------------------------------------------------------------


def test_pages_follow_limit_and_offset_with_next_and_previous_links(client, values):
    token = service_token()
    everything = results(get(client, token))
    first = get(client, token, limit="3").json()
    second = get(client, token, limit="3", offset="3").json()

    assert first["count"] == second["count"] == len(everything) == 8
    assert first["results"] + second["results"] == everything[:6]
    assert "limit=3" in first["next"] and "offset=3" in first["next"]
    assert first["previous"] is None and second["previous"] is not None
    assert get(client, token, offset="8").json()["results"] == []


def test_the_page_size_is_500_by_default_and_at_most_1000(client, indicators):
    """More rows than a page: the default page holds 500, the largest allowed 1000; a
    larger limit is refused instead of answering the whole table at once."""
    period = services.ensure_periods([parse_period("2025-03")])["2025-03"]
    kernen = list(Area.objects.filter(kind="kern"))
    products = list(Product.objects.all())
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            period=period,
            product=product,
            area=kern,
            value=Decimal(1),
            computed_at=timezone.now(),
        )
        for indicator in list(indicators.values())[:3]
        for product in products
        for kern in kernen
    )
    total = IndicatorValue.objects.count()
    assert total > 1000
    token = service_token()

    assert len(results(get(client, token))) == 500
    assert len(results(get(client, token, limit="1000"))) == 1000
    refused = get(client, token, limit="1001")
    assert refused.status_code == 400
    assert refused.json() == {"limit": ["limit moet een geheel getal van 1 tot en met 1000 zijn."]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "99999999999999999999"}, "limit"),
        ({"limit": "100000000"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "tien"}, "limit"),
        ({"limit": "²"}, "limit"),
        ({"limit": "1e3"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "99999999999999999999"}, "offset"),
        ({"offset": "1000000001"}, "offset"),
        ({"offset": "drie"}, "offset"),
    ],
)
def test_bad_limit_or_offset_gets_a_dutch_400(client, values, params, field):
    response = get(client, service_token(), **params)

    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert "moet een geheel getal van" in response.json()[field][0]


def test_bad_filters_and_paging_are_reported_together(client, values):
    response = get(client, service_token(), period="2025-Q5", limit="-5")

    assert response.status_code == 400
    assert set(response.json()) == {"period", "limit"}


def test_a_nul_character_in_a_filter_is_a_400_in_the_api_format(client, values):
    response = get(client, service_token(), indicator="uren\x00gerealiseerd")

    assert response.status_code == 400
    assert "ongeldig teken (NUL)" in response.json()["indicator"][0]


def test_the_list_costs_a_constant_number_of_queries(client, values, django_assert_max_num_queries):
    token = service_token()
    with django_assert_max_num_queries(6):
        assert len(results(get(client, token))) == 8


# --- schema -----------------------------------------------------------------------------


def test_the_schema_lists_the_endpoint_and_its_filters(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v1/indicators/"]["get"]
    query_parameters = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"indicator", "period", "product", "area", "year"} <= query_parameters
    assert set(schema["paths"]) == {"/api/v1/indicators/"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    paging = {p["name"]: p for p in operation["parameters"] if p["name"] in ("limit", "offset")}
    assert paging["limit"]["schema"]["maximum"] == 1000
    assert paging["limit"]["schema"]["default"] == 500
    assert "hoogstens 1000" in paging["limit"]["description"]
    assert paging["offset"]["schema"]["minimum"] == 0
    row = schema["components"]["schemas"]["IndicatorValue"]
    assert set(row["properties"]) == FIELDS


# --- the service account ----------------------------------------------------------------


def test_create_api_token_makes_a_service_account_and_reuses_it(db):
    first = service_token()
    second = service_token()

    user = User.objects.get(username="gemeente")
    assert user.role == Role.MUNICIPALITY_API
    assert not user.has_usable_password()
    assert not user.is_staff
    assert first == second == Token.objects.get(user=user).key


def test_create_api_token_can_rotate_the_token(db):
    old = service_token()
    out = StringIO()
    call_command("create_api_token", "--username", "gemeente", "--rotate", stdout=out,
                 stderr=StringIO())  # fmt: skip
    assert out.getvalue().strip() != old
    assert not Token.objects.filter(key=old).exists()


def test_create_api_token_refuses_a_staff_member(make_user):
    make_user(role=Role.MANAGER, username="jdevries")
    with pytest.raises(CommandError, match="geen API-account"):
        call_command("create_api_token", "--username", "jdevries", stdout=StringIO())
    assert not Token.objects.exists()


def test_the_service_account_cannot_use_the_web_application(login, values):
    service_token()
    user = User.objects.get(username="gemeente")
    client = login(user)

    assert not user.has_perm("accounts.use_app")
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("cases:case_list")).status_code == 403
    export = reverse("reporting_exports:indicators", kwargs={"file_format": "csv"})
    assert client.get(export).status_code == 403
