"""Bad input: random and hostile values (unicode, NUL bytes, lone surrogates, 10k-character
strings, negative and huge numbers, impossible dates, lists where one value is expected,
missing fields, HTML and SQL fragments) thrown at every form users submit, every list
filter, the API filters and the hour import.

For every submission: never a 500 (an unhandled exception fails the test, as the test
client re-raises it), nothing saved unless the response is a success redirect, and the
user's input never comes back as raw markup — only escaped.

`test_every_url_with_user_input_is_fuzzed` walks the URL patterns, so a new form or
filter that is not fuzzed here fails the suite."""

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from urllib.parse import quote, quote_from_bytes

import pytest
from django.apps import apps
from django.contrib import messages as django_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from cases.choices import CaseStatus, HourKind
from cases.models import Case, HourRegistration
from cases.services.group_work import create_group_activity
from cases.services.hours import register_hours
from cases.services.imports import HourImportRefused, import_hours_file
from catalogue.models import Area, Location
from meerwaarde.accounts.models import Role
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory
from tests.volunteers_factories import MatchFactory, TrainingTypeFactory, VolunteerFactory
from volunteers.services.volunteer_hours import register_volunteer_hours

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
DMY = f"{YESTERDAY:%d-%m-%Y}"
ISO = f"{YESTERDAY:%Y-%m-%d}"

# Markup that must never come back raw, and the escaped form it must take instead.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW_MARKUP = (SCRIPT, "<img src=x onerror=alert(1)>")
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"

HOSTILE_VALUES = [
    SCRIPT,
    IMG,
    "'; DROP TABLE cases_client; --",
    "1 OR 1=1",
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "\ud800",  # lone surrogates: sent as the (invalid UTF-8) bytes a broken client sends
    "x\udfffy",
    "\u202eNAAM\u202c",  # right-to-left override
    "שלום",
    "مرحبا",
    "😀👨‍👩‍👧",
    "\ufeff",
    "²",
    "٣",
    "x" * 10_001,
    "😀" * 3_000,
    "31-02-2025",
    "0000-00-00",
    "00-00-0000",
    "99999-01-01",
    "01-01-99999",
    "2025-13-01",
    "9999-12-31",
    "0001-01-01",
    "2025-W99",
    "2025-Q9",
    "99999",
    "-1",
    "0",
    "-0",
    "1e400",
    "99999999999999999999999",
    "-99999999999999999999",
    "9" * 5_000,
    "NaN",
    "Infinity",
    "0,1",
    "24,25",
    "1_000",
    "",
    " ",
    "\n",
    "null",
    "[]",
]

HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(str),
    st.dates().map(lambda day: day.strftime("%d-%m-%Y")),
)

# No shrinking: every example is a full request, and a failure's traceback already names
# the cause. No example database either: nothing is written into the repository.
# Sized for `make test` on a small machine (the whole file in about two minutes); set
# BAD_INPUT_EXAMPLES=500 for a deeper run.
EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def field_values(valid: list[str]) -> st.SearchStrategy:
    """None (the field is missing), one value, or several values for one name (a list
    where a scalar is expected). Valid values come often, so that the other fields'
    hostile values get past the first check and reach the service and the database."""
    one = st.one_of(st.sampled_from(valid), HOSTILE) if valid else HOSTILE
    return st.one_of(
        st.none(), one.map(lambda value: [value]), st.lists(one, min_size=2, max_size=3)
    )


def submission(fields: dict[str, list[str]]) -> st.SearchStrategy:
    return st.fixed_dictionaries({name: field_values(valid) for name, valid in fields.items()})


def encode(data: dict) -> str:
    """application/x-www-form-urlencoded by hand: lone surrogates go out as the bytes a
    broken client would send (the test client's own encoder refuses them)."""
    parts = []
    for name, values in data.items():
        for value in values or []:
            raw = value.encode("utf-8", "surrogatepass")
            parts.append(f"{quote(name)}={quote_from_bytes(raw)}")
    return "&".join(parts)


# --- checking one response -------------------------------------------------------------

MODEL_APPS = ("cases", "volunteers", "reporting")


def row_counts() -> dict[str, int]:
    """Rows of every table of the apps that hold registrations, in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for app in MODEL_APPS
            for model in apps.get_app_config(app).get_models()
            if model._meta.managed and not model._meta.proxy
        }
    )
    # Table names from the models, not from input.
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {table}" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def assert_not_raw(content: bytes) -> None:
    text = content.decode("utf-8", "replace")
    for markup in RAW_MARKUP:
        assert markup not in text, f"unescaped user input in the page: {markup}"


def error_messages(response) -> list[str]:
    return [
        str(message)
        for message in django_messages.get_messages(response.wsgi_request)
        if message.level >= django_messages.ERROR
    ]


def check_response(client, response, before: dict[str, int]) -> None:
    assert response.status_code < 500
    if response.status_code in (301, 302, 303):
        refused = error_messages(response)
        # The page the user lands on shows the messages: escaped as well.
        follow = client.get(response["Location"])
        assert follow.status_code < 500
        assert_not_raw(follow.content)
        if refused:
            assert row_counts() == before, f"saved although refused: {refused}"
    else:
        assert_not_raw(response.content)
        assert row_counts() == before, f"saved without a success redirect ({response.status_code})"


# --- the data the forms work on --------------------------------------------------------


@dataclass
class World:
    team: object
    worker: object
    coordinator: object
    manager: object
    admin: object
    case: Case
    client: object
    hours: HourRegistration
    location: Location
    activity: object
    melding: Case
    volunteer: object
    waiting_case: Case
    match: object
    volunteer_hours: object
    training: object
    products: dict
    token: str

    def role(self, name: str):
        return getattr(self, name)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The world below makes a dozen users; real password hashing would take most of the
    time budget and is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(catalogue, make_user):
    team = TeamFactory(name="Team Hoofddorp")
    worker = make_user(role=Role.SOCIAL_WORKER, username="jjansen", teams=[team])
    coordinator = make_user(role=Role.COORDINATOR, teams=[team])
    manager = make_user(role=Role.MANAGER)
    admin = make_user(role=Role.FUNCTIONAL_ADMIN)
    home_start = catalogue["home-start-en-home-start-plus"]
    mediation = catalogue["buurt-en-groepsbemiddeling"]
    for product in (home_start, mediation):
        product.coordinators.add(coordinator)
    client = ClientFactory(team=team)
    case = CaseFactory(client=client, responsible_worker=worker, status=CaseStatus.ACTIVE)
    hours = register_hours(
        worker=worker,
        date=YESTERDAY,
        hours=Decimal("1"),
        product=case.product,
        kind=HourKind.DIRECT,
        case=case,
        created_by=worker,
    )
    hoofddorp = Area.objects.get(kind="kern", name="Hoofddorp")
    location = Location.objects.create(name="PlusPunt Pax", kind="pluspunt", area=hoofddorp)
    activity = create_group_activity(
        product=catalogue["ouder-en-kind-inloop-oki"],
        name="OKI Pax",
        team=team,
        location=location,
        start_date=TODAY - datetime.timedelta(days=60),
        created_by=worker,
    )
    melding = CaseFactory(
        product=mediation,
        client__team=team,
        responsible_worker=worker,
        status=CaseStatus.REGISTERED,
        registered_on=TODAY - datetime.timedelta(days=30),
    )
    volunteer = VolunteerFactory(products=[home_start])
    waiting_case = CaseFactory(
        product=home_start,
        client__team=team,
        status=CaseStatus.WAITING_LIST,
        waiting_since=TODAY - datetime.timedelta(weeks=8),
        registered_on=TODAY - datetime.timedelta(days=100),
    )
    match = MatchFactory(
        volunteer=volunteer,
        case=waiting_case,
        created_by=coordinator,
        proposed_on=TODAY - datetime.timedelta(days=20),
    )
    volunteer_hours = register_volunteer_hours(
        volunteer=volunteer,
        date=YESTERDAY,
        hours=Decimal("1.5"),
        product=home_start,
        registered_by=coordinator,
    )
    return World(
        team=team,
        worker=worker,
        coordinator=coordinator,
        manager=manager,
        admin=admin,
        case=case,
        client=client,
        hours=hours,
        location=location,
        activity=activity,
        melding=melding,
        volunteer=volunteer,
        waiting_case=waiting_case,
        match=match,
        volunteer_hours=volunteer_hours,
        training=TrainingTypeFactory(name="Home-Start training"),
        products=catalogue,
        token=Token.objects.create(user=manager).key,
    )


def fresh_active_case(world: World) -> Case:
    """Closing takes an active case; every example gets its own."""
    return CaseFactory(
        client=world.client, responsible_worker=world.worker, status=CaseStatus.ACTIVE
    )


# --- the forms -------------------------------------------------------------------------


@dataclass
class Form:
    url_name: str
    role: str
    url: Callable[[World], str]
    fields: Callable[[World], dict[str, list[str]]]
    method: str = "post"


def _pk(obj) -> list[str]:
    return [str(obj.pk)]


def client_fields(w: World) -> dict[str, list[str]]:
    return {
        "first_name": ["Fatima"],
        "last_name_prefix": ["van"],
        "last_name": ["El Amrani"],
        "birth_date": ["14-03-1958", "1958-03-14"],
        "gender": ["vrouw", ""],
        "postcode": ["2132 AB", "2132AB"],
        "house_number": ["12"],
        "house_number_addition": ["a"],
        "street": ["Dorpsstraat"],
        "city": ["Hoofddorp"],
        "lives_in_haarlemmermeer": ["on"],
        "kern": _pk(Area.objects.filter(kind="kern").first()),
        "wijk": [""],
        "phone": ["06-12345678"],
        "email": ["f@example.org"],
        "language_needs": ["Arabisch"],
    }


FORMS = [
    Form(
        "cases:intake",
        "worker",
        lambda w: reverse("cases:intake"),
        lambda w: {
            **client_fields(w),
            "existing_client": ["", str(w.client.pk)],
            "confirm_new_client": ["on"],
            "product": _pk(w.products["1-5-gesprekken"]),
            "confirmed_criteria": ["Woont in Haarlemmermeer"],
            "referral_source": ["eigen_initiatief"],
            "referral_source_detail": ["buurvrouw"],
            "question": ["Wil grip op de post."],
            "life_domains": ["financien"],
            "is_caregiver": ["on"],
            "caregiver_overburdened": [""],
            "team": _pk(w.team),
            "responsible_worker": _pk(w.worker),
            "start_status": ["aangemeld", "intake"],
            "registered_on": [DMY],
            "consent_registration": ["on"],
        },
    ),
    Form(
        "cases:client_edit",
        "worker",
        lambda w: reverse("cases:client_edit", args=[w.client.pk]),
        lambda w: {**client_fields(w), "version": [str(w.client.version)]},
    ),
    Form(
        "cases:consent_record",
        "worker",
        lambda w: reverse("cases:consent_record", args=[w.client.pk]),
        lambda w: {"purpose": ["registratie", "delen_verwijzer"], "given": ["ja", "nee"]},
    ),
    Form(
        "cases:household_link",
        "worker",
        lambda w: reverse("cases:household_link", args=[w.client.pk]),
        lambda w: {"other": _pk(ClientFactory(team=w.team))},
    ),
    Form(
        "cases:change_status",
        "worker",
        lambda w: reverse("cases:change_status", args=[w.case.pk]),
        lambda w: {
            "to_status": ["wachtlijst", "actief", "afgesloten"],
            "note": ["Start"],
            "version": [str(w.case.version)],
        },
    ),
    Form(
        "cases:add_contact",
        "worker",
        lambda w: reverse("cases:add_contact", args=[w.case.pk]),
        lambda w: {"date": [DMY, ISO], "kind": ["gesprek"], "summary": ["Gesproken."]},
    ),
    Form(
        "cases:add_referral",
        "worker",
        lambda w: reverse("cases:add_referral", args=[w.case.pk]),
        lambda w: {
            "partner": ["meer_team"],
            "partner_detail": ["Wmo"],
            "date": [DMY],
            "data_shared": [""],
            "note": ["Doorverwezen"],
        },
    ),
    Form(
        "cases:close_case",
        "worker",
        lambda w: reverse("cases:close_case", args=[fresh_active_case(w).pk]),
        lambda w: {
            "version": ["0", "1"],
            "goal_reached": ["ja", "deels"],
            "can_continue_independently": ["ja", "nee"],
            "referred_to": [""],
            "note": ["Klaar"],
            "instrument": ["", "zrm"],
            "score_zrm_voor_financien": ["2"],
            "score_zrm_na_financien": ["4"],
        },
    ),
    Form(
        "hours:add",
        "worker",
        lambda w: reverse("hours:add"),
        lambda w: {
            "date": [DMY, ISO],
            "product": _pk(w.case.product),
            "case": ["", str(w.case.pk)],
            "kind": ["direct", "coordinatie"],
            "hours": ["1,5", "0.25"],
            "note": ["Gesprek"],
            "next": ["", reverse("cases:case_detail", args=[w.case.pk]), "https://evil.example/"],
        },
    ),
    Form(
        "hours:edit",
        "worker",
        lambda w: reverse("hours:edit", args=[w.hours.pk]),
        lambda w: {
            "date": [DMY],
            "product": _pk(w.case.product),
            "case": [str(w.case.pk)],
            "kind": ["direct"],
            "hours": ["2"],
            "note": ["Gecorrigeerd"],
        },
    ),
    Form(
        "groupwork:activity_create",
        "worker",
        lambda w: reverse("groupwork:activity_create"),
        lambda w: {
            "product": _pk(w.products["ouder-en-kind-inloop-oki"]),
            "name": ["Koffieochtend"],
            "team": _pk(w.team),
            "location": _pk(w.location),
            "kern": [""],
            "start_date": [DMY],
        },
    ),
    Form(
        "groupwork:session_create",
        "worker",
        lambda w: reverse("groupwork:session_create", args=[w.activity.pk]),
        lambda w: {
            "date": [DMY],
            "participants": ["12"],
            "new_participants": ["2"],
            "volunteers": ["1"],
            "note": ["Gezellig"],
        },
    ),
    Form(
        "groupwork:contact_create",
        "worker",
        lambda w: reverse("groupwork:contact_create"),
        lambda w: {
            "date": [DMY],
            "location": _pk(w.location),
            "topic": ["informatie"],
            "referred_on": ["nee", "ja"],
            "referred_to": ["", "meer_team"],
            "terug": ["formulier"],
        },
    ),
    Form(
        "mediation:save_party",
        "coordinator",
        lambda w: reverse("mediation:save_party", args=[w.melding.pk, 1]),
        lambda w: {
            "partij1-name": ["J. de Vries"],
            "partij1-address": ["Dorpsstraat 1"],
            "partij1-phone": ["06-12345678"],
        },
    ),
    Form(
        "mediation:record_step",
        "coordinator",
        lambda w: reverse("mediation:record_step", args=[w.melding.pk]),
        lambda w: {
            "step": ["aanname", "beoordeling"],
            "date": [DMY],
            "note": ["Verslag"],
            "decision": ["accepteren", "doorverwijzen"],
            "partner": ["", "meer_team"],
            "partner_detail": [""],
        },
    ),
    Form(
        "volunteers_registry:create",
        "coordinator",
        lambda w: reverse("volunteers_registry:create"),
        lambda w: volunteer_fields(w),
    ),
    Form(
        "volunteers_registry:edit",
        "coordinator",
        lambda w: reverse("volunteers_registry:edit", args=[w.volunteer.pk]),
        lambda w: {**volunteer_fields(w), "version": [str(w.volunteer.version)]},
    ),
    Form(
        "volunteers_registry:add_training",
        "coordinator",
        lambda w: reverse("volunteers_registry:add_training", args=[w.volunteer.pk]),
        lambda w: {"training": _pk(w.training), "completed_on": [DMY]},
    ),
    Form(
        "volunteers_registry:add_hours",
        "coordinator",
        lambda w: reverse("volunteers_registry:add_hours", args=[w.volunteer.pk]),
        lambda w: volunteer_hours_fields(w),
    ),
    Form(
        "volunteers_registry:edit_hours",
        "coordinator",
        lambda w: reverse(
            "volunteers_registry:edit_hours", args=[w.volunteer.pk, w.volunteer_hours.pk]
        ),
        lambda w: volunteer_hours_fields(w),
    ),
    Form(
        "volunteers_matching:propose",
        "coordinator",
        lambda w: reverse("volunteers_matching:propose", args=[w.waiting_case.pk]),
        lambda w: {"volunteer": _pk(VolunteerFactory(products=[w.waiting_case.product]))},
    ),
    Form(
        "volunteers_matching:match_status",
        "coordinator",
        lambda w: reverse("volunteers_matching:match_status", args=[w.match.pk]),
        lambda w: {
            "to_status": ["kennismaking", "afgebroken"],
            "on": [DMY],
            "reason": ["Klikt niet"],
        },
    ),
    Form(
        "volunteers_matching:match_evaluation",
        "coordinator",
        lambda w: reverse("volunteers_matching:match_evaluation", args=[w.match.pk]),
        lambda w: {"kind": ["tussen", "eind"], "date": [DMY], "notes": ["Gaat goed"]},
    ),
    Form(
        "reporting:recompute",
        "manager",
        lambda w: reverse("reporting:recompute"),
        lambda w: {"periode": [str(TODAY.year), f"{TODAY.year}-Q1"]},
    ),
    Form(
        "reporting:close_period",
        "manager",
        lambda w: reverse("reporting:close_period"),
        lambda w: {"periode": [f"{TODAY.year - 1}-01"], "bevestigen": ["on"]},
    ),
    Form(
        "cases:client_anonymise",
        "admin",
        lambda w: reverse("cases:client_anonymise", args=[ClientFactory(team=w.team).pk]),
        lambda w: {"bevestigen": ["ja"]},
    ),
]


def volunteer_fields(w: World) -> dict[str, list[str]]:
    return {
        "first_name": ["Anna"],
        "last_name_prefix": [""],
        "last_name": ["Bakker"],
        "birth_date": ["01-02-1970"],
        "phone": ["06-12345678"],
        "email": ["anna@example.org"],
        "postcode": ["2132AB"],
        "kern": [""],
        "status": ["actief", "aspirant"],
        "products": _pk(w.products["home-start-en-home-start-plus"]),
        "kernen_served": [""],
        "max_matches": ["1", "2"],
        "languages": ["Nederlands, Arabisch"],
        "skills": ["Koken"],
        "wishes": ["Gezinnen"],
        "vog_date": [DMY],
        "availability": ["0-ochtend", "2-middag"],
    }


def volunteer_hours_fields(w: World) -> dict[str, list[str]]:
    return {
        "date": [DMY],
        "hours": ["1,5", "0.75"],
        "product": _pk(w.products["home-start-en-home-start-plus"]),
        "match": ["", str(w.match.pk)],
        "activity": [""],
        "note": ["Bezoek"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=[form.url_name for form in FORMS])
def test_form_survives_hostile_input(client, login, world, form):
    """Hostile values in any field, fields missing, lists instead of one value: never a
    500, nothing saved without a success redirect, input shown back escaped."""
    login(world.role(form.role))
    fields = form.fields(world)

    @FUZZ
    @given(values=submission(fields))
    def submit(values):
        url = form.url(world)
        before = row_counts()
        response = client.post(
            url, encode(values), content_type="application/x-www-form-urlencoded"
        )
        check_response(client, response, before)

    submit()


# --- filters and lists (GET) -----------------------------------------------------------


@dataclass
class Filter:
    url_name: str
    role: str
    url: Callable[[World], str]
    fields: Callable[[World], dict[str, list[str]]]


FILTERS = [
    Filter(
        "cases:case_list",
        "worker",
        lambda w: reverse("cases:case_list"),
        lambda w: {"q": ["jansen"], "status": ["open", "actief"], "mine": ["1"], "pagina": ["2"]},
    ),
    Filter(
        "cases:client_list",
        "worker",
        lambda w: reverse("cases:client_list"),
        lambda w: {"q": ["jansen", "14-03-1958", "2132AB"]},
    ),
    Filter(
        "cases:client_search",
        "worker",
        lambda w: reverse("cases:client_search"),
        lambda w: {"client_query": ["ja", "14-03-1958"], "field": ["other"]},
    ),
    Filter(
        "cases:intake_criteria",
        "worker",
        lambda w: reverse("cases:intake_criteria"),
        lambda w: {
            "product": _pk(w.products["1-5-gesprekken"]),
            "existing_client": _pk(w.client),
            "birth_date": ["14-03-1958"],
            "lives_in_haarlemmermeer": ["on"],
            "confirmed_criteria": ["x"],
        },
    ),
    Filter(
        "cases:intake_duplicates",
        "worker",
        lambda w: reverse("cases:intake_duplicates"),
        lambda w: {
            "first_name": ["Fatima"],
            "last_name": ["Amrani"],
            "birth_date": ["14-03-1958"],
            "postcode": ["2132AB"],
            "house_number": ["12"],
        },
    ),
    Filter(
        "cases:intake",
        "worker",
        lambda w: reverse("cases:intake"),
        lambda w: {"product": _pk(w.products["1-5-gesprekken"])},
    ),
    Filter(
        "cases:privacy_lookup",
        "admin",
        lambda w: reverse("cases:privacy_lookup"),
        lambda w: {
            "nummer": ["", str(w.client.pk)],
            "achternaam": [w.client.last_name],
            "geboortedatum": [f"{w.client.birth_date:%d-%m-%Y}"],
        },
    ),
    Filter(
        "hours:week", "worker", lambda w: reverse("hours:week"), lambda w: {"week": ["2025-W47"]}
    ),
    Filter(
        "hours:add",
        "worker",
        lambda w: reverse("hours:add"),
        lambda w: {"next": [reverse("hours:week"), "//evil.example/"]},
    ),
    Filter(
        "volunteers_registry:list",
        "coordinator",
        lambda w: reverse("volunteers_registry:list"),
        lambda w: {
            "q": ["Bakker"],
            "status": ["actief", "zonder-koppeling"],
            "product": _pk(w.products["home-start-en-home-start-plus"]),
        },
    ),
    Filter(
        "catalogue:product_list",
        "worker",
        lambda w: reverse("catalogue:product_list"),
        lambda w: {
            "q": ["eenzaamheid", "taal"],
            "cluster": [""],
            "leeftijd": ["40"],
            "vrijwilligers": ["ja", "nee"],
        },
    ),
    Filter(
        "catalogue:eligibility_check",
        "worker",
        lambda w: reverse("catalogue:eligibility_check"),
        lambda w: {
            "geboortedatum": ["14-03-1958"],
            "woonplaats": ["ja", "nee"],
            "kinderen": ["2, 5", "geen"],
        },
    ),
    Filter(
        "reporting:dashboard",
        "manager",
        lambda w: reverse("reporting:dashboard"),
        lambda w: {"periode": [str(TODAY.year), f"{TODAY.year}-H1", f"{TODAY.year}-03"]},
    ),
    Filter(
        "reporting:close_period",
        "manager",
        lambda w: reverse("reporting:close_period"),
        lambda w: {"periode": [f"{TODAY.year - 1}-01"]},
    ),
    Filter(
        "reporting_exports:indicators",
        "manager",
        lambda w: reverse("reporting_exports:indicators", args=["csv"]),
        lambda w: {"period": [str(TODAY.year)], "indicator": ["uren_gerealiseerd"]},
    ),
    Filter(
        "reporting_exports:hours_per_product",
        "manager",
        lambda w: reverse("reporting_exports:hours_per_product", args=["xlsx"]),
        lambda w: {"period": [str(TODAY.year)]},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", FILTERS, ids=[page.url_name for page in FILTERS])
def test_filter_survives_hostile_query(client, login, world, page):
    """List filters and searches: a hostile query string is never a 500, and what the
    user typed comes back escaped."""
    login(world.role(page.role))
    url = page.url(world)
    fields = page.fields(world)

    @FUZZ
    @given(values=submission(fields))
    def search(values):
        response = client.get(f"{url}?{encode(values)}")
        assert response.status_code < 500
        if response.status_code in (301, 302, 303):
            response = client.get(response["Location"])
            assert response.status_code < 500
        if response.get("Content-Type", "").startswith("text/html"):
            assert_not_raw(response.content)

    search()


@pytest.mark.django_db
def test_api_filters_answer_400_not_500(client, world):
    """The municipality's API: a bad filter is a 400 with a message, never a 500."""
    url = reverse("api:indicators")
    fields = {
        "indicator": ["uren_gerealiseerd"],
        "period": [str(TODAY.year), f"{TODAY.year}-Q2"],
        "product": ["all", "menes"],
        "area": ["all", "Hoofddorp", "onbekend"],
        "year": [str(TODAY.year)],
    }
    headers = {"Authorization": f"Token {world.token}"}

    @FUZZ
    @given(values=submission(fields))
    def ask(values):
        response = client.get(f"{url}?{encode(values)}", headers=headers)
        assert response.status_code in (200, 400), response.content[:300]

    ask()
    assert client.get(f"{url}?period=2025-Q9", headers=headers).status_code == 400
    assert client.get(f"{url}?year=99999999999999999999", headers=headers).status_code == 400


# --- the hour import ---------------------------------------------------------------------

IMPORT_HEADER = "datum;medewerker;product;uren;client;kern;soort"
IMPORT_VALID = {
    "datum": [DMY, ISO],
    "medewerker": ["jjansen"],
    "product": ["menes", "1-5-gesprekken"],
    "uren": ["1,5", "0.25", "2"],
    "client": ["", "K-1042"],
    "kern": ["", "hoofddorp"],
    "soort": ["", "direct", "Coördinatie"],
}
CSV_HOSTILE = st.one_of(HOSTILE, st.sampled_from([";", '"', '"";"', "\r", "\n", "\t", ",", "'"]))


def csv_value(valid: list[str]) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), CSV_HOSTILE)


CSV_LINE = st.one_of(
    st.tuples(*(csv_value(valid) for valid in IMPORT_VALID.values())).map(";".join),
    st.lists(CSV_HOSTILE, max_size=9).map(";".join),  # too few or too many columns
)
CSV_FILE = st.lists(CSV_LINE, min_size=1, max_size=6).map(
    lambda lines: "\n".join([IMPORT_HEADER, *lines]).encode("utf-8", "surrogatepass")
)


@pytest.mark.django_db
def test_hour_import_imports_all_or_refuses_with_reasons(world, tmp_path):
    """import_hours_file (behind `manage.py import_hours` and the upload page) with
    generated lines: either every line is imported, or the file is refused with the reasons
    and nothing of it is saved — never an unhandled exception, never a half import."""
    counter = iter(range(10**6))

    @FUZZ
    @given(content=CSV_FILE)
    def run(content):
        path = tmp_path / f"uren-{next(counter)}.csv"
        path.write_bytes(content)
        before = row_counts()
        try:
            result = import_hours_file(path=path, file_name=path.name)
        except HourImportRefused as refusal:
            assert refusal.row_errors or refusal.summary
            assert row_counts() == before
        else:
            after = row_counts()
            imported = after["cases_hourregistration"] - before["cases_hourregistration"]
            assert imported == result.row_count > 0
            assert after["cases_importbatch"] == before["cases_importbatch"] + 1

    run()


@pytest.mark.django_db
def test_import_command_refuses_hostile_lines_with_line_numbers(world, tmp_path):
    path = tmp_path / "uren.csv"
    lines = [
        IMPORT_HEADER,
        f"{DMY};jjansen;menes;1,5;K-1\x00;;",
        f"""31-02-2025;{SCRIPT};"'; DROP TABLE cases_client; --";-1;;;""",
        f"{DMY};jjansen;menes;{'9' * 5000};{'x' * 10_001};;",
    ]
    path.write_bytes("\n".join(lines).encode())
    before = row_counts()
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("import_hours", str(path), stdout=StringIO(), stderr=stderr)
    assert row_counts() == before
    errors = stderr.getvalue()
    assert "Regel 2: Deze regel bevat binaire gegevens" in errors
    assert "Regel 3: '31-02-2025' is geen geldige datum" in errors
    assert "Regel 4:" in errors


UPLOAD_NAMES = ["uren.csv", f"{SCRIPT}.csv", "../../etc/uren.csv", "x" * 300 + ".csv", "uren.xlsx"]


@pytest.mark.django_db
def test_hour_import_upload_survives_hostile_files(client, login, world, settings, tmp_path):
    """The upload page with hostile content and file names: a Dutch message or a job,
    never a 500, nothing stored from a refused file, file name shown escaped."""
    settings.VAR_DIR = tmp_path
    login(world.admin)
    url = reverse("imports:upload")

    @FUZZ
    @given(
        content=st.one_of(CSV_FILE, st.binary(max_size=200)),
        name=st.sampled_from(UPLOAD_NAMES),
        dry_run=st.booleans(),
    )
    def upload(content, name, dry_run):
        data = {"bestand": SimpleUploadedFile(name, content, content_type="text/csv")}
        if dry_run:
            data["alleen_controleren"] = "on"
        before = row_counts()
        response = client.post(url, data)
        check_response(client, response, before)

    upload()


# --- escaping, checked directly --------------------------------------------------------


@pytest.mark.django_db
def test_refused_input_comes_back_escaped(client, login, world):
    """The fuzzing above checks that markup never comes back raw; here: it does come back,
    escaped, in the fields of a refused form."""
    login(world.worker)
    response = client.post(
        reverse("hours:add"),
        {"date": "31-02-2025", "product": world.case.product.pk, "hours": "1", "note": SCRIPT},
    )
    assert response.status_code == 200
    assert ESCAPED_SCRIPT in response.content.decode()
    assert_not_raw(response.content)
    response = client.get(reverse("cases:client_list"), {"q": SCRIPT})
    assert ESCAPED_SCRIPT in response.content.decode()
    assert_not_raw(response.content)


# --- nothing slips past ----------------------------------------------------------------

# The apps whose pages take user input, and their pages without any (besides the ids in
# the path, which the URL converters already restrict to digits).
FUZZED_NAMESPACES = {
    "cases",
    "hours",
    "imports",
    "groupwork",
    "mediation",
    "volunteers_registry",
    "volunteers_matching",
    "reporting",
    "reporting_exports",
    "api",
    "catalogue",
}
WITHOUT_INPUT = {
    "cases:my_work": "overview",
    "cases:case_detail": "page",
    "cases:client_detail": "page",
    "cases:client_inzage": "page",
    "cases:client_inzage_json": "download",
    "cases:consent_withdraw": "button without fields",
    "cases:household_leave": "button without fields",
    "hours:delete": "button without fields",
    "imports:job": "page",
    "imports:job_status": "htmx poll",
    "groupwork:overview": "page",
    "groupwork:activity_detail": "page",
    "mediation:overview": "page",
    "mediation:case": "page",
    "volunteers_registry:detail": "page",
    "volunteers_registry:expiring": "page",
    "volunteers_registry:delete_hours": "button without fields",
    "volunteers_matching:overview": "page",
    "volunteers_matching:case": "page",
    "volunteers_matching:match": "page",
    "reporting:run_status": "htmx poll",
    "api:schema": "static schema",
    "catalogue:product_detail": "page (slug converter)",
    "catalogue:export_json": "download",
}


def url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace:
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_url_with_user_input_is_fuzzed():
    """Walks the URL patterns: every page of the apps that take user input is fuzzed above
    or listed as taking none, so a new form cannot go untested."""
    names = {name for name in url_names() if name.split(":")[0] in FUZZED_NAMESPACES}
    fuzzed = {form.url_name for form in FORMS} | {page.url_name for page in FILTERS}
    fuzzed |= {"api:indicators", "imports:upload"}
    assert names - fuzzed - set(WITHOUT_INPUT) == set()
    assert fuzzed - names == set()
    assert set(WITHOUT_INPUT) - names == set()


# --- the values that were a 500 before, pinned -------------------------------------------

PINNED = [
    ("worker", "post", "cases:intake", {"product": "²", "existing_client": "9" * 5000}),
    ("worker", "get", "cases:intake_criteria", {"product": "²", "existing_client": "²"}),
    ("worker", "get", "cases:intake_duplicates", {"house_number": "²", "last_name": "a\x00"}),
    ("worker", "get", "cases:client_search", {"client_query": "ab\x00cd"}),
    ("worker", "get", "cases:client_list", {"q": "a\x00b"}),
    ("worker", "get", "cases:case_list", {"q": "a\x00b"}),
    ("admin", "get", "cases:privacy_lookup", {"nummer": "²"}),
    ("admin", "get", "cases:privacy_lookup", {"nummer": "9" * 30}),
    ("admin", "get", "cases:privacy_lookup", {"achternaam": "a\x00", "geboortedatum": DMY}),
    ("worker", "get", "catalogue:eligibility_check", {"geboortedatum": DMY, "kinderen": "²"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "method", "url_name", "values"), PINNED)
def test_values_that_once_crashed_a_page(client, login, world, role, method, url_name, values):
    """Unicode digits that int() refuses ("²".isdigit() is true), numbers too long for
    int() or a bigint, NUL characters PostgreSQL refuses in text: a page, not a 500."""
    login(world.role(role))
    url = reverse(url_name)
    body = encode({name: [value] for name, value in values.items()})
    before = row_counts()
    if method == "post":
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.get(f"{url}?{body}")
    check_response(client, response, before)


@pytest.mark.django_db
def test_household_link_with_a_unicode_digit_is_refused(client, login, world):
    login(world.worker)
    url = reverse("cases:household_link", args=[world.client.pk])
    before = row_counts()
    response = client.post(url, {"other": "²"})
    assert error_messages(response) == ["Kies een cliënt uit uw teams."]
    check_response(client, response, before)
