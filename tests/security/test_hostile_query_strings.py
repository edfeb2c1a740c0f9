"""No 5xx from a query string: every GET URL of the project (the rows of the access
matrix), asked by a role that may open it, with hostile values — NUL characters, numbers
too big for a bigint, negative numbers, very long strings, impossible dates and weeks.

Which parameters a page reads is found out by asking it once and recording every key its
view reads from request.GET; each of those keys then gets each hostile value on its own,
and the page also gets each hostile value in all the parameter names pages of the project
read (page, pagina, limit, offset, date, week, period, ...), for the keys read only on
some paths. So a new page or a new parameter is walked without anyone adding it here.

An unhandled exception fails the test (the test client re-raises it: DEBUG is off, as in
production, where it would be a 500)."""

import datetime
import html
from decimal import Decimal

import pytest
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from cases.models import HourRegistration
from meerwaarde.accounts.models import Role
from reporting import services
from reporting.models import Indicator, IndicatorValue
from reporting.periods import parse_period

from .test_access_matrix import MATRIX
from .world import ROLES, ask

HOSTILE_VALUES = [
    "\x00",
    "-1",
    "99999999999999999999",
    "9" * 5_000,
    "²",
    "x" * 10_001,
    "0001-01-01",
    "9999-12-31",
    "01-01-0001",
    "31-12-9999",
    "99999-01-01",
    "0001-W01",
    "9999-W52",
    "2025-13-45",
]

# Every query parameter a page of the project reads; each page gets all of them at once.
KNOWN_PARAMETERS = [
    "page",
    "pagina",
    "limit",
    "offset",
    "q",
    "status",
    "date",
    "week",
    "period",
    "periode",
    "indicator",
    "product",
    "area",
    "year",
    "next",
    "client_query",
    "birth_date",
    "house_number",
]


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def query(values: dict[str, str]) -> str:
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in values.items())


class ReadKeys:
    """Records the keys views read from a QueryDict (request.GET; DRF's query_params is
    the same object)."""

    def __init__(self, monkeypatch):
        self.keys: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(MultiValueDict, method)
            monkeypatch.setattr(QueryDict, method, self._recording(original))

    def _recording(self, original):
        keys = self.keys

        def read(querydict, key, *args, **kwargs):
            if isinstance(key, str):
                keys.add(key)
            return original(querydict, key, *args, **kwargs)

        return read


def reachable_by(expect) -> str | None:
    """Anonymous when the page is public, else the first role that reaches it."""
    for role in ROLES:
        if expect.answer_for(role) in (200, 302, 400):
            return role
    return None


GET_PAGES = [
    name for name, expect in MATRIX.items() if expect.method == "get" and reachable_by(expect)
]


def url_of(world, expect, name: str) -> str:
    kwargs = {}
    for kwarg, key in expect.kwargs.items():
        value = key if key in ("csv", "xlsx") else world.objects[key]
        kwargs[kwarg] = getattr(value, "pk", value)
    return reverse(name, kwargs=kwargs)


def test_every_get_page_of_the_matrix_is_walked():
    skipped = {name for name, e in MATRIX.items() if e.method == "get"} - set(GET_PAGES)
    assert skipped == set()
    assert len(GET_PAGES) >= 40


@pytest.fixture
def published_value(world):
    """One rolled-up row of this year, so the API and the exports page and slice a real
    table (an empty one answers before it reaches LIMIT and OFFSET)."""
    key = str(timezone.localdate().year)
    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="uren_gerealiseerd"),
        period=services.ensure_periods([parse_period(key)])[key],
        value=Decimal("12"),
        computed_at=timezone.now(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_PAGES)
def test_no_query_string_makes_a_page_fail(name, as_role, world, published_value, monkeypatch):
    expect = MATRIX[name]
    role = reachable_by(expect)
    client = as_role(role)
    url = url_of(world, expect, name)
    read = ReadKeys(monkeypatch)
    # A parameter that no page reads: views that only look at a non-empty query string
    # (`request.GET or None`) read their keys too.
    first = ask(client, world, role, name, "get", f"{url}?onbekend=1")
    assert first.status_code < 500
    parameters = sorted(read.keys - {"onbekend"})
    # A page that reads no parameter cannot be upset by their values; it still gets the
    # NUL (the middleware's answer) and a long value in every known name.
    values = HOSTILE_VALUES if parameters else ["\x00", "x" * 10_001]
    failures = []
    for value in values:
        asked = [{parameter: value} for parameter in parameters]
        asked.append(dict.fromkeys(KNOWN_PARAMETERS, value))
        for values in asked:
            asked_url = f"{url}?{query(values)}"
            try:
                status = ask(client, world, role, name, "get", asked_url).status_code
            except Exception as error:  # noqa: BLE001 - collected: every failure at once
                status = f"{type(error).__name__}: {str(error)[:120]}"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{asked_url[:100]}: {status}")
    assert not failures, "\n".join(failures)


# --- NUL characters: one answer for the whole project -----------------------------------

NUL_MESSAGE = "ongeldig teken (NUL)"


@pytest.mark.django_db
def test_a_nul_in_an_export_parameter_is_a_dutch_400_page(as_role, world):
    """The probe's finding: ?indicator=%00 on the export was a 500 on PostgreSQL."""
    client = as_role(Role.MANAGER)
    url = reverse("reporting_exports:indicators", kwargs={"file_format": "csv"})
    response = client.get(f"{url}?indicator=%00")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    content = html.unescape(response.content.decode())
    assert NUL_MESSAGE in content and "'indicator'" in content


@pytest.mark.django_db
def test_a_nul_in_a_parameter_name_or_the_path_is_a_400(as_role, world):
    client = as_role(Role.SOCIAL_WORKER)
    assert client.get(f"{reverse('cases:case_list')}?q%00=jansen").status_code == 400
    response = client.get("/catalogus/product%00/")
    assert response.status_code == 400
    assert "Het adres bevat een " + NUL_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_posted_field_is_a_400_and_saves_nothing(as_role, world):
    client = as_role(Role.SOCIAL_WORKER)
    case = world.objects["case"]
    before = HourRegistration.objects.count()
    response = client.post(
        reverse("hours:add"),
        {
            "date": f"{timezone.localdate() - datetime.timedelta(days=1):%d-%m-%Y}",
            "product": case.product.pk,
            "case": case.pk,
            "kind": "direct",
            "hours": "1",
            "note": "Gesprek\x00",
        },
    )

    assert response.status_code == 400
    assert "'note'" in html.unescape(response.content.decode())
    assert HourRegistration.objects.count() == before


@pytest.mark.django_db
def test_a_nul_in_the_session_cookie_is_a_400_not_a_database_error(client, world):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_api_answers_a_nul_in_its_format(client, world):
    token = world.tokens[Role.MANAGER]
    response = client.get(
        f"{reverse('api:indicators')}?period=%00", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["period"]
    assert NUL_MESSAGE in response.json()["period"][0]
