"""Every response that shows a person's record writes the access log: exactly one row per
record shown, for the page itself and for a POST whose error re-renders it (a form on a
case page that comes back with its messages shows the whole case file).

The test walks the project's URL patterns: every URL of the cases and volunteers apps is
either in PERSON_PAGES (how to request it, which records it opens) or in
NO_PERSON_RECORD (with the reason it shows nobody's record). A new view in those apps
fails the test until someone decides which it is, so a person page cannot ship without
its trace.

A request that opens a record logs it whatever it answers (see `cases.selectors`): a
POST that only redirects writes one row too, so those are in the table as well.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.choices import CaseStatus, MediationStep
from cases.models import Case, ClosedPeriod, Consent
from meerwaarde.accounts.models import Role
from meerwaarde.audit.models import AccessAction, PersonalDataAccess

from .world import World

SOCIAL, COORDINATOR, ADMIN = Role.SOCIAL_WORKER, Role.COORDINATOR, Role.FUNCTIONAL_ADMIN
# The apps whose views show clients, cases and volunteers.
PERSON_APPS = ("cases.", "volunteers.")


def make_case_active(world: World) -> None:
    Case.objects.filter(pk=world.objects["case"].pk).update(status=CaseStatus.ACTIVE)


def withdraw_consent(world: World) -> None:
    """So that withdrawing it again is refused (the error path)."""
    Consent.objects.filter(pk=world.objects["consent"].pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=world.users[SOCIAL]
    )


def close_last_month(world: World) -> None:
    """The world's hours are of yesterday: a closed period makes deleting them fail."""
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    ClosedPeriod.objects.create(
        start_date=yesterday - datetime.timedelta(days=30),
        end_date=yesterday,
        closed_by=world.users[ADMIN],
    )


@dataclass(frozen=True)
class PersonPage:
    role: str
    kwargs: dict  # URL kwarg -> key of an object in `world` (as in the access matrix)
    subjects: tuple  # keys of the `world` objects that get one access-log row each
    get: bool = True  # the page answers a GET with 200
    post: dict | None = None  # a POST that fails (or, for a redirect-only action, one POST)
    post_status: int | None = None  # 200/400: the form re-rendered; 302: redirected
    action: str = AccessAction.VIEWED
    prepare: Callable[[World], None] | None = None
    # Another team's / product's object is a 404 without a row (not for the
    # functioneel beheerder's AVG pages, which reach every client).
    scoped: bool = True


CASE, CLIENT = {"pk": "case"}, {"pk": "client"}
VOLUNTEER, MATCH = {"pk": "volunteer"}, {"pk": "match"}
VOLUNTEER_HOURS = {"pk": "volunteer", "hours_pk": "volunteer_hours"}
MEDIATION_CASE = {"case_id": "mediation_case"}

PERSON_PAGES: dict[str, PersonPage] = {
    # cases: the case page and the forms on it
    "cases:case_detail": PersonPage(SOCIAL, CASE, ("case",)),
    "cases:change_status": PersonPage(
        SOCIAL, CASE, ("case",), get=False, post={"to_status": "onzin"}, post_status=302
    ),
    "cases:add_contact": PersonPage(SOCIAL, CASE, ("case",), get=False, post={}, post_status=200),
    "cases:add_referral": PersonPage(SOCIAL, CASE, ("case",), get=False, post={}, post_status=200),
    "cases:close_case": PersonPage(
        SOCIAL, CASE, ("case",), post={}, post_status=200, prepare=make_case_active
    ),
    # clients
    "cases:client_detail": PersonPage(SOCIAL, CLIENT, ("client",)),
    "cases:client_edit": PersonPage(SOCIAL, CLIENT, ("client",), post={}, post_status=200),
    "cases:consent_record": PersonPage(
        SOCIAL, CLIENT, ("client",), get=False, post={"purpose": "onzin"}, post_status=302
    ),
    "cases:consent_withdraw": PersonPage(
        SOCIAL,
        {"pk": "client", "consent_pk": "consent"},
        ("client",),
        get=False,
        post={},
        post_status=302,
        prepare=withdraw_consent,
    ),
    "cases:household_link": PersonPage(
        SOCIAL, CLIENT, ("client",), get=False, post={"other": "x"}, post_status=302
    ),
    "cases:household_leave": PersonPage(
        SOCIAL, CLIENT, ("client",), get=False, post={}, post_status=302
    ),
    # AVG requests: the printable inzage and the download keep their own action
    "cases:client_inzage": PersonPage(SOCIAL, CLIENT, ("client",), action=AccessAction.PRINTED),
    "cases:client_inzage_json": PersonPage(
        SOCIAL, CLIENT, ("client",), action=AccessAction.EXPORTED
    ),
    "cases:client_anonymise": PersonPage(
        ADMIN, CLIENT, ("client",), post={}, post_status=302, scoped=False
    ),
    # staff hours: the worker's own registration names the client of its case
    "hours:edit": PersonPage(SOCIAL, {"pk": "hours"}, ("case",), post={}, post_status=200),
    "hours:delete": PersonPage(
        SOCIAL, {"pk": "hours"}, ("case",), post={}, post_status=200, prepare=close_last_month
    ),
    # buurtbemiddeling: the melding with both parties
    "mediation:case": PersonPage(SOCIAL, MEDIATION_CASE, ("mediation_case",)),
    "mediation:save_party": PersonPage(
        SOCIAL,
        {"case_id": "mediation_case", "number": "party_number"},
        ("mediation_case",),
        get=False,
        post={},
        post_status=200,
    ),
    "mediation:record_step": PersonPage(
        SOCIAL,
        MEDIATION_CASE,
        ("mediation_case",),
        get=False,
        post={"step": MediationStep.INTAKE},
        post_status=200,
    ),
    # volunteers
    "volunteers_registry:detail": PersonPage(COORDINATOR, VOLUNTEER, ("volunteer",)),
    "volunteers_registry:edit": PersonPage(
        COORDINATOR, VOLUNTEER, ("volunteer",), post={}, post_status=200
    ),
    "volunteers_registry:add_training": PersonPage(
        COORDINATOR, VOLUNTEER, ("volunteer",), get=False, post={}, post_status=400
    ),
    "volunteers_registry:add_hours": PersonPage(
        COORDINATOR, VOLUNTEER, ("volunteer",), get=False, post={}, post_status=400
    ),
    "volunteers_registry:edit_hours": PersonPage(
        COORDINATOR, VOLUNTEER_HOURS, ("volunteer",), post={}, post_status=400
    ),
    "volunteers_registry:delete_hours": PersonPage(
        COORDINATOR,
        VOLUNTEER_HOURS,
        ("volunteer",),
        post={},
        post_status=302,
        prepare=close_last_month,
    ),
    # matching: the case with its suggestions, and a match (volunteer and client)
    "volunteers_matching:case": PersonPage(COORDINATOR, {"case_id": "case"}, ("case",)),
    "volunteers_matching:propose": PersonPage(
        COORDINATOR, {"case_id": "case"}, ("case",), get=False, post={}, post_status=302
    ),
    "volunteers_matching:match": PersonPage(COORDINATOR, MATCH, ("case", "volunteer")),
    "volunteers_matching:match_status": PersonPage(
        COORDINATOR, MATCH, ("case", "volunteer"), get=False, post={}, post_status=400
    ),
    "volunteers_matching:match_evaluation": PersonPage(
        COORDINATOR, MATCH, ("case", "volunteer"), get=False, post={}, post_status=400
    ),
}

LIST = "een lijst of zoekresultaat (naam per regel), geen dossier van één persoon"
NO_PERSON_RECORD: dict[str, str] = {
    "cases:case_list": LIST,
    "cases:my_work": LIST,
    "cases:client_list": LIST,
    "cases:client_search": LIST,
    "cases:intake_duplicates": LIST,
    "cases:privacy_lookup": LIST,
    "cases:intake": (
        "een nieuwe aanmelding; een gekozen bestaande cliënt staat er zoals in de zoeklijst "
        "(naam en geboortedatum), het dossier wordt pas na opslaan geopend"
    ),
    "cases:intake_criteria": "de criteria van een product, geen persoonsgegevens",
    "hours:week": "de eigen uren van de medewerker per week: " + LIST,
    "hours:add": "een leeg formulier voor eigen uren; trajecten staan er als keuzelijst",
    "imports:upload": "urenimport: bestandsnamen en voortgang, geen persoon",
    "imports:job": "urenimport: regelnummers en meldingen, geen persoon",
    "imports:job_status": "urenimport: voortgang, geen persoon",
    "admin:cases_closedperiod_reopen": "een gesloten periode heropenen: data en een reden",
    "groupwork:overview": "groepswerk en inloop zijn anoniem",
    "groupwork:activity_create": "groepswerk is anoniem",
    "groupwork:activity_detail": "groepswerk is anoniem: aantallen per bijeenkomst",
    "groupwork:session_create": "groepswerk is anoniem: aantallen per bijeenkomst",
    "groupwork:contact_create": "een anoniem inloopcontact",
    "mediation:overview": LIST,
    "volunteers_registry:list": LIST,
    "volunteers_registry:create": "een nieuwe vrijwilliger: nog geen dossier",
    "volunteers_registry:expiring": LIST,
    "volunteers_matching:overview": LIST,
}


def walk(patterns, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def person_app_urls() -> dict[str, URLPattern]:
    return {
        name: pattern
        for name, pattern in walk(get_resolver().url_patterns)
        if pattern.callback.__module__.startswith(PERSON_APPS)
    }


def test_every_url_of_the_person_apps_is_decided():
    urls = person_app_urls()
    undecided = sorted(urls.keys() - PERSON_PAGES.keys() - NO_PERSON_RECORD.keys())
    assert not undecided, (
        "URL van cases/volunteers zonder besluit over het inzagelog: zet hem in PERSON_PAGES "
        f"(toont een persoon) of met een reden in NO_PERSON_RECORD: {undecided}"
    )
    assert not PERSON_PAGES.keys() & NO_PERSON_RECORD.keys()
    assert (PERSON_PAGES.keys() | NO_PERSON_RECORD.keys()) <= urls.keys()
    with_an_id = {
        name
        for name, pattern in urls.items()
        if any(key == "pk" or key.endswith(("_pk", "_id")) for key in pattern.pattern.converters)
    }
    # A URL that names one record is a person page unless a reason says otherwise.
    for name in with_an_id - PERSON_PAGES.keys():
        assert NO_PERSON_RECORD.get(name), name
    assert {"cases:case_detail", "cases:add_contact", "cases:close_case"} <= with_an_id
    for name, page in PERSON_PAGES.items():
        assert set(page.kwargs) == set(urls[name].pattern.converters), name
        assert page.get or page.post is not None, name


def new_rows(user, since: int) -> Counter:
    return Counter(
        PersonalDataAccess.objects.filter(user=user, pk__gt=since).values_list(
            "subject_type", "subject_id", "action"
        )
    )


def expected_rows(world: World, page: PersonPage) -> Counter:
    return Counter(
        (
            ContentType.objects.get_for_model(world.objects[key]).pk,
            str(world.objects[key].pk),
            page.action,
        )
        for key in page.subjects
    )


def last_row_id() -> int:
    last = PersonalDataAccess.objects.order_by("-pk").first()
    return last.pk if last else 0


def url_for(world: World, name: str, page: PersonPage, *, other: bool = False) -> str:
    kwargs = {}
    for kwarg, key in page.kwargs.items():
        value = world.objects[f"other_{key}" if other else key]
        kwargs[kwarg] = getattr(value, "pk", value)
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PERSON_PAGES))
def test_the_page_and_its_error_re_render_write_one_row_per_record_shown(name, as_role, world):
    page = PERSON_PAGES[name]
    if page.prepare:
        page.prepare(world)
    user = world.users[page.role]
    client = as_role(page.role)
    url = url_for(world, name, page)
    expected = expected_rows(world, page)
    if page.get:
        since = last_row_id()
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert new_rows(user, since) == expected, f"GET {name}"
    if page.post is not None:
        since = last_row_id()
        response = client.post(url, page.post)
        # These views redirect after a success: a 200 or 400 is the page re-rendered
        # with the form's errors.
        assert response.status_code == page.post_status, (name, response.status_code)
        assert new_rows(user, since) == expected, f"POST {name}"


# The `world` objects that have a counterpart of another team / product ("other_case").
HAVE_AN_OTHER = {
    "case",
    "client",
    "consent",
    "mediation_case",
    "volunteer",
    "volunteer_hours",
    "match",
}
OUT_OF_SCOPE = sorted(
    name
    for name, page in PERSON_PAGES.items()
    if page.scoped and set(page.kwargs.values()) <= HAVE_AN_OTHER
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", OUT_OF_SCOPE)
def test_another_teams_record_is_a_404_and_writes_no_row(name, as_role, world):
    page = PERSON_PAGES[name]
    user = world.users[page.role]
    client = as_role(page.role)
    url = url_for(world, name, page, other=True)
    since = last_row_id()
    response = client.get(url) if page.get else client.post(url, page.post)
    assert response.status_code == 404, name
    assert not new_rows(user, since)


@pytest.mark.django_db
def test_own_hours_without_a_case_show_nobody_and_write_no_row(as_role, world):
    registration = world.objects["hours"]
    registration.case = None
    registration.save(update_fields=["case"])
    client = as_role(SOCIAL)
    since = last_row_id()
    assert client.get(reverse("hours:edit", args=[registration.pk])).status_code == 200
    assert not new_rows(world.users[SOCIAL], since)


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["0", "9223372036854775808", "9" * 30])
def test_a_number_that_is_nobodys_record_is_a_404_without_a_row(number, as_role, world):
    client = as_role(SOCIAL)
    since = last_row_id()
    assert client.get(f"/trajecten/{number}/").status_code == 404
    assert client.get(f"/trajecten/clienten/{number}/").status_code == 404
    assert not PersonalDataAccess.objects.filter(pk__gt=since).exists()
