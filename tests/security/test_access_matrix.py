"""The access matrix: every URL of the project, for anonymous and for each role, with the
answer it must give. A URL without a row fails the test, so a new page cannot ship
without someone deciding who may reach it.

Conventions of the table:
- One row per URL name; the answers are, in order, for anonymous, sociaal werker,
  coördinator, manager, functioneel beheerder and the municipality's API account
  (`gemeente_api`, logged in with a session as if it could: it must still reach nothing).
- LOGIN means "302 to the login page". 405 means the method is refused. 200, 302 (handled
  and redirected) and 400 (reached; the empty POST is refused as bad input) all mean the
  user reached the page; 403 and 404 that they did not.
- A POST-only URL is tested with an empty POST (each request runs in a savepoint that is
  rolled back, so no request changes what the next one sees).
- URL arguments are real objects of the users' own team and products (`world` fixture).
- /api/ is token-only: every role sends its own token, anonymous sends none (401).
- /beheer/ (the Django admin) has hundreds of generated patterns; it is tested
  generically instead: the index and a changelist of every area (ADMIN_URLS) for every
  role. The admin's own rule is simple (only the functioneel beheerder is staff) and is
  the same for every pattern, so one changelist per app proves it.

Every row marked `person=True` shows a person (client, case, volunteer, match): a
manager and the API account must get 403/404 there, and the object-level tests swap in
another team's / product's object and expect 404.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meerwaarde.accounts.models import Role

from .world import ADMIN_LOGIN, LOGIN, ROLES, ask, observed, url_of


@dataclass(frozen=True)
class Expect:
    method: str
    # anonymous, sociaal_werker, coordinator, manager, functioneel_beheerder, gemeente_api
    answers: tuple
    kwargs: dict = field(default_factory=dict)  # URL kwarg -> key of an object in `world`
    person: bool = False  # shows a person: never reached by manager or API account

    def answer_for(self, role) -> object:
        return self.answers[ROLES.index(role)]


G, P = "get", "post"
#  anonymous, sociaal_werker, coordinator, manager, functioneel_beheerder, gemeente_api
MATRIX: dict[str, Expect] = {
    "home": Expect(G, (LOGIN, 200, 200, 200, 200, 403)),
    "health": Expect(G, (200, 200, 200, 200, 200, 200)),
    # accounts
    "accounts:login": Expect(G, (200, 302, 302, 302, 302, 302)),
    "accounts:logout": Expect(P, (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    # A verified session may link another authenticator (a new phone); see
    # tests/accounts/test_account_security.py for the password-only session.
    "accounts:two_factor_setup": Expect(G, (LOGIN, 200, 200, 200, 200, 302)),
    "accounts:password_change": Expect(G, (LOGIN, 200, 200, 200, 200, 403)),
    "accounts:two_factor_verify": Expect(G, (LOGIN, 302, 302, 302, 302, 302)),
    # catalogue: product information, no persons
    "catalogue:product_list": Expect(G, (LOGIN, 200, 200, 200, 200, 403)),
    "catalogue:eligibility_check": Expect(G, (LOGIN, 200, 200, 200, 200, 403)),
    "catalogue:export_json": Expect(G, (LOGIN, 200, 200, 200, 200, 403)),
    "catalogue:product_detail": Expect(
        G, (LOGIN, 200, 200, 200, 200, 403), {"slug": "product_slug"}
    ),
    # cases
    "cases:case_list": Expect(G, (LOGIN, 200, 200, 403, 403, 403), person=True),
    "cases:my_work": Expect(G, (LOGIN, 200, 403, 403, 403, 403), person=True),
    "cases:intake": Expect(G, (LOGIN, 200, 403, 403, 403, 403), person=True),
    "cases:intake_criteria": Expect(G, (LOGIN, 200, 403, 403, 403, 403)),
    "cases:intake_duplicates": Expect(G, (LOGIN, 200, 403, 403, 403, 403), person=True),
    "cases:client_search": Expect(G, (LOGIN, 200, 403, 403, 403, 403), person=True),
    "cases:case_detail": Expect(G, (LOGIN, 200, 200, 403, 403, 403), {"pk": "case"}, person=True),
    "cases:change_status": Expect(P, (LOGIN, 302, 404, 403, 403, 403), {"pk": "case"}, person=True),
    "cases:add_contact": Expect(P, (LOGIN, 200, 404, 403, 403, 403), {"pk": "case"}, person=True),
    "cases:add_referral": Expect(P, (LOGIN, 200, 404, 403, 403, 403), {"pk": "case"}, person=True),
    "cases:close_case": Expect(G, (LOGIN, 302, 404, 403, 403, 403), {"pk": "case"}, person=True),
    "cases:client_list": Expect(G, (LOGIN, 200, 403, 403, 403, 403), person=True),
    "cases:client_detail": Expect(
        G, (LOGIN, 200, 403, 403, 403, 403), {"pk": "client"}, person=True
    ),
    "cases:client_edit": Expect(G, (LOGIN, 200, 403, 403, 403, 403), {"pk": "client"}, person=True),
    "cases:consent_record": Expect(
        P, (LOGIN, 302, 403, 403, 403, 403), {"pk": "client"}, person=True
    ),
    "cases:household_link": Expect(
        P, (LOGIN, 302, 403, 403, 403, 403), {"pk": "client"}, person=True
    ),
    "cases:household_leave": Expect(
        P, (LOGIN, 302, 403, 403, 403, 403), {"pk": "client"}, person=True
    ),
    "cases:consent_withdraw": Expect(
        P,
        (LOGIN, 302, 403, 403, 403, 403),
        {"pk": "client", "consent_pk": "consent"},
        person=True,
    ),
    "cases:privacy_lookup": Expect(G, (LOGIN, 200, 403, 403, 200, 403), person=True),
    "cases:client_inzage": Expect(
        G, (LOGIN, 200, 403, 403, 200, 403), {"pk": "client"}, person=True
    ),
    "cases:client_inzage_json": Expect(
        G, (LOGIN, 200, 403, 403, 200, 403), {"pk": "client"}, person=True
    ),
    "cases:client_anonymise": Expect(
        G, (LOGIN, 403, 403, 403, 200, 403), {"pk": "client"}, person=True
    ),
    # hours of staff
    "hours:week": Expect(G, (LOGIN, 200, 200, 403, 403, 403), person=True),
    "hours:add": Expect(G, (LOGIN, 200, 200, 403, 403, 403), person=True),
    "hours:edit": Expect(G, (LOGIN, 200, 404, 403, 403, 403), {"pk": "hours"}, person=True),
    "hours:delete": Expect(G, (LOGIN, 200, 404, 403, 403, 403), {"pk": "hours"}, person=True),
    # import of hours from the old system
    "imports:upload": Expect(G, (LOGIN, 403, 403, 403, 200, 403)),
    "imports:job": Expect(G, (LOGIN, 403, 403, 403, 200, 403), {"job_id": "import_job"}),
    "imports:job_status": Expect(G, (LOGIN, 403, 403, 403, 200, 403), {"job_id": "import_job"}),
    # group work and anonymous walk-in contacts: no persons
    "groupwork:overview": Expect(G, (LOGIN, 200, 200, 403, 403, 403)),
    "groupwork:activity_create": Expect(G, (LOGIN, 200, 200, 403, 403, 403)),
    "groupwork:activity_detail": Expect(G, (LOGIN, 200, 200, 403, 403, 403), {"pk": "activity"}),
    "groupwork:session_create": Expect(P, (LOGIN, 200, 200, 403, 403, 403), {"pk": "activity"}),
    "groupwork:contact_create": Expect(G, (LOGIN, 200, 200, 403, 403, 403)),
    # buurtbemiddeling
    "mediation:overview": Expect(G, (LOGIN, 200, 200, 403, 403, 403), person=True),
    "mediation:case": Expect(
        G, (LOGIN, 200, 200, 403, 403, 403), {"case_id": "mediation_case"}, person=True
    ),
    "mediation:save_party": Expect(
        P,
        (LOGIN, 200, 200, 403, 403, 403),
        {"case_id": "mediation_case", "number": "party_number"},
        person=True,
    ),
    "mediation:record_step": Expect(
        P, (LOGIN, 302, 302, 403, 403, 403), {"case_id": "mediation_case"}, person=True
    ),
    # volunteers (coordinators)
    "volunteers_registry:list": Expect(G, (LOGIN, 403, 200, 403, 403, 403), person=True),
    "volunteers_registry:create": Expect(G, (LOGIN, 403, 200, 403, 403, 403), person=True),
    "volunteers_registry:expiring": Expect(G, (LOGIN, 403, 200, 403, 403, 403), person=True),
    "volunteers_registry:detail": Expect(
        G, (LOGIN, 403, 200, 403, 403, 403), {"pk": "volunteer"}, person=True
    ),
    "volunteers_registry:edit": Expect(
        G, (LOGIN, 403, 200, 403, 403, 403), {"pk": "volunteer"}, person=True
    ),
    "volunteers_registry:add_training": Expect(
        P, (LOGIN, 403, 400, 403, 403, 403), {"pk": "volunteer"}, person=True
    ),
    "volunteers_registry:add_hours": Expect(
        P, (LOGIN, 403, 400, 403, 403, 403), {"pk": "volunteer"}, person=True
    ),
    "volunteers_registry:edit_hours": Expect(
        G,
        (LOGIN, 403, 200, 403, 403, 403),
        {"pk": "volunteer", "hours_pk": "volunteer_hours"},
        person=True,
    ),
    "volunteers_registry:delete_hours": Expect(
        G,
        (LOGIN, 403, 200, 403, 403, 403),
        {"pk": "volunteer", "hours_pk": "volunteer_hours"},
        person=True,
    ),
    # matching (coordinators)
    "volunteers_matching:overview": Expect(G, (LOGIN, 403, 200, 403, 403, 403), person=True),
    "volunteers_matching:case": Expect(
        G, (LOGIN, 404, 200, 404, 404, 404), {"case_id": "case"}, person=True
    ),
    "volunteers_matching:propose": Expect(
        P, (LOGIN, 404, 302, 404, 404, 404), {"case_id": "case"}, person=True
    ),
    "volunteers_matching:match": Expect(
        G, (LOGIN, 404, 200, 404, 404, 404), {"pk": "match"}, person=True
    ),
    "volunteers_matching:match_status": Expect(
        P, (LOGIN, 404, 400, 404, 404, 404), {"pk": "match"}, person=True
    ),
    "volunteers_matching:match_evaluation": Expect(
        P, (LOGIN, 404, 400, 404, 404, 404), {"pk": "match"}, person=True
    ),
    # reporting: aggregates only
    "reporting:dashboard": Expect(G, (LOGIN, 403, 200, 200, 200, 403)),
    "reporting:recompute": Expect(P, (LOGIN, 403, 403, 302, 302, 403)),
    "reporting:run_status": Expect(G, (LOGIN, 403, 200, 200, 200, 403), {"run_id": "rollup_run"}),
    "reporting:close_period": Expect(G, (LOGIN, 403, 403, 200, 403, 403)),
    "reporting_exports:indicators": Expect(
        G, (LOGIN, 403, 403, 200, 200, 403), {"file_format": "csv"}
    ),
    "reporting_exports:hours_per_product": Expect(
        G, (LOGIN, 403, 403, 200, 200, 403), {"file_format": "xlsx"}
    ),
    # the municipality's API: token only (each role sends its own token)
    "api:indicators": Expect(G, (401, 403, 403, 200, 200, 200)),
    "api:schema": Expect(G, (200, 200, 200, 200, 200, 200)),
}

# /beheer/: the index and one changelist per app (see the module docstring). Staff only:
# an anonymous visitor is sent to the (application's) login, every other logged-in user
# gets the 403 page (never a loop between the two logins).
STAFF_ONLY = (LOGIN, 403, 403, 403, 200, 403)
ADMIN_URLS: dict[str, tuple] = dict.fromkeys(
    (
        "admin:index",
        "admin:accounts_user_changelist",
        "admin:audit_personaldataaccess_changelist",
        "admin:auditlog_logentry_changelist",
        "admin:axes_accessattempt_changelist",
        "admin:catalogue_product_changelist",
        "admin:cases_groupactivity_changelist",
        "admin:volunteers_trainingtype_changelist",
        "admin:reporting_indicator_changelist",
    ),
    STAFF_ONLY,
)
# The admin index itself sends an anonymous visitor to the admin login first (which
# forwards to the application's login).
ADMIN_URLS["admin:index"] = (ADMIN_LOGIN, *STAFF_ONLY[1:])
# The admin has no page for a client, case, volunteer or match: persons are never edited
# there (the names below are asserted not to exist).
PERSON_MODELS_NOT_IN_ADMIN = [
    "cases_client",
    "cases_case",
    "cases_consent",
    "cases_household",
    "volunteers_volunteer",
    "volunteers_match",
]


def all_url_names(patterns=None, namespace: str = "") -> list[tuple[str, str]]:
    """(full name, route) of every URL pattern, walked recursively through includes."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            found.append((f"{namespace}:{name}" if namespace else name, str(pattern.pattern)))
    return found


# --- the tests -------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_in_the_matrix():
    names = {name for name, _route in all_url_names() if not name.startswith("admin:")}
    missing = sorted(names - MATRIX.keys())
    assert not missing, f"URL zonder regel in de toegangsmatrix: {missing}"
    stale = sorted(MATRIX.keys() - names)
    assert not stale, f"Regel in de toegangsmatrix zonder URL: {stale}"


def test_the_admin_is_mounted_once_and_has_no_person_pages():
    names = {name for name, _route in all_url_names() if name.startswith("admin:")}
    assert ADMIN_URLS.keys() <= names
    for model in PERSON_MODELS_NOT_IN_ADMIN:
        assert not any(name.startswith(f"admin:{model}_") for name in names), model


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, as_role, world):
    client = as_role(role)
    wrong = []
    for name, expect in MATRIX.items():
        url = url_of(world, name, expect)
        answer = observed(ask(client, world, role, name, expect.method, url))
        if answer != expect.answer_for(role):
            wanted = expect.answer_for(role)
            wrong.append(f"{expect.method.upper()} {name} {url}: {answer}, verwacht {wanted}")
    for name, answers in ADMIN_URLS.items():
        answer = observed(ask(client, world, role, name, G, reverse(name)))
        if answer != answers[ROLES.index(role)]:
            wrong.append(f"GET {name}: {answer}, verwacht {answers[ROLES.index(role)]}")
    assert not wrong, "\n".join(wrong)


def test_manager_and_api_account_never_reach_a_person_by_the_table():
    for name, expect in MATRIX.items():
        if expect.person:
            for role in (Role.MANAGER, Role.MUNICIPALITY_API):
                assert expect.answer_for(role) in (403, 404), (name, role)


# Another team's or product's object instead of the user's own.
SWAPS = {
    "client": "other_client",
    "case": "other_case",
    "consent": "other_consent",
    "mediation_case": "other_mediation_case",
    "volunteer": "other_volunteer",
    "volunteer_hours": "other_volunteer_hours",
    "match": "other_match",
}


def rows_reaching(role, keys: set[str]):
    """The rows that reach one of `keys` and that `role` may use on its own objects."""
    for name, expect in MATRIX.items():
        if keys & set(expect.kwargs.values()) and expect.answer_for(role) in (200, 302, 400):
            yield name, expect


@pytest.mark.django_db
def test_social_worker_gets_404_for_another_teams_client_or_case(as_role, world):
    client = as_role(Role.SOCIAL_WORKER)
    keys = {"client", "case", "consent", "mediation_case", "match"}
    rows = list(rows_reaching(Role.SOCIAL_WORKER, keys))
    assert len(rows) >= 15
    wrong = []
    for name, expect in rows:
        url = url_of(world, name, expect, swap=SWAPS)
        answer = observed(ask(client, world, Role.SOCIAL_WORKER, name, expect.method, url))
        if answer != 404:
            wrong.append(f"{name} {url}: {answer}")
    assert not wrong, "Ander team bereikbaar:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_coordinator_gets_404_for_volunteers_and_matches_of_other_products(as_role, world):
    client = as_role(Role.COORDINATOR)
    keys = {"case", "mediation_case", "volunteer", "volunteer_hours", "match"}
    rows = list(rows_reaching(Role.COORDINATOR, keys))
    assert len(rows) >= 12
    # The coordinator of buurtbemiddeling runs the meldingen of every team; another
    # product's case is what must stay out of reach.
    swaps = {**SWAPS, "mediation_case": "other_case"}
    wrong = []
    for name, expect in rows:
        url = url_of(world, name, expect, swap=swaps)
        answer = observed(ask(client, world, Role.COORDINATOR, name, expect.method, url))
        if answer != 404:
            wrong.append(f"{name} {url}: {answer}")
    assert not wrong, "Ander product bereikbaar:\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.MUNICIPALITY_API])
def test_manager_and_api_account_never_reach_a_person(role, as_role, world):
    """Own-team and other-team objects alike: every person URL answers 403 or 404."""
    client = as_role(role)
    wrong = []
    for name, expect in MATRIX.items():
        if not expect.person:
            continue
        for swap in ({}, SWAPS):
            url = url_of(world, name, expect, swap=swap)
            answer = observed(ask(client, world, role, name, expect.method, url))
            if answer not in (403, 404):
                wrong.append(f"{name} {url}: {answer}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_api_refuses_a_session_without_a_token(as_role, world):
    client = as_role(Role.MANAGER)
    assert client.get(reverse("api:indicators")).status_code == 401
