"""The objects and helpers the access matrix and the ASVS tests request pages with:
users of every role in one team, and a client, case, volunteer, match, ... of that team
and of the coordinator's products, plus the same of another team / product."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cases.choices import ConsentPurpose, HourKind
from cases.models import Consent, GroupActivity, HourRegistration, ImportJob
from meerwaarde.accounts.models import Role
from reporting.models import RollupRun
from tests.cases_factories import CaseFactory, ClientFactory
from tests.factories import TeamFactory
from tests.volunteers_factories import MatchFactory, VolunteerFactory
from volunteers.models import VolunteerHours

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    Role.SOCIAL_WORKER,
    Role.COORDINATOR,
    Role.MANAGER,
    Role.FUNCTIONAL_ADMIN,
    Role.MUNICIPALITY_API,
]


@dataclass
class World:
    users: dict
    objects: dict
    tokens: dict


def build_world(catalogue, make_user) -> World:
    home_start = catalogue["home-start-en-home-start-plus"]
    mediation = catalogue["buurt-en-groepsbemiddeling"]
    other_product = catalogue["maatjesprojecten"]
    team = TeamFactory(name="Team Hoofddorp-matrix")
    other_team = TeamFactory(name="Team Nieuw-Vennep-matrix")
    # Everybody is a member of the team, so a team membership alone grants nothing: the
    # role decides.
    users = {
        role: make_user(role=role, teams=[team], username=f"matrix-{role}")
        for role in ROLES
        if role != ANONYMOUS
    }
    worker = users[Role.SOCIAL_WORKER]
    coordinator = users[Role.COORDINATOR]
    admin = users[Role.FUNCTIONAL_ADMIN]
    home_start.coordinators.add(coordinator)
    mediation.coordinators.add(coordinator)

    def case_of(team_, product, worker_=None):
        client = ClientFactory(team=team_, created_by=worker)
        return CaseFactory(
            client=client, product=product, team=team_, responsible_worker=worker_ or worker
        )

    case = case_of(team, home_start)
    other_case = case_of(other_team, other_product, make_user(teams=[other_team]))
    mediation_case = case_of(team, mediation)
    other_mediation_case = case_of(other_team, mediation, make_user(teams=[other_team]))

    def consent_of(client):
        return Consent.objects.create(
            client=client,
            purpose=ConsentPurpose.SHARE_WITH_PARTNERS,
            given=True,
            text_version="1",
            recorded_by=worker,
        )

    volunteer = VolunteerFactory(products=[home_start])
    other_volunteer = VolunteerFactory(products=[other_product])
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    match = MatchFactory(volunteer=volunteer, case=case)
    other_match = MatchFactory(volunteer=other_volunteer, case=other_case)

    def volunteer_hours_of(volunteer_, product):
        return VolunteerHours.objects.create(
            volunteer=volunteer_,
            date=yesterday,
            hours=Decimal("1.00"),
            product=product,
            registered_by=coordinator,
        )

    objects = {
        "product_slug": home_start.slug,
        "client": case.client,
        "case": case,
        "consent": consent_of(case.client),
        "mediation_case": mediation_case,
        "party_number": 1,
        "hours": HourRegistration.objects.create(
            worker=worker,
            date=yesterday,
            hours=Decimal("1.00"),
            product=home_start,
            case=case,
            kind=HourKind.DIRECT,
        ),
        "import_job": ImportJob.objects.create(
            file_name="uren.csv", stored_path="/nonexistent/uren.csv", started_by=admin
        ),
        "activity": GroupActivity.objects.create(
            product=catalogue["ouder-en-kind-inloop-oki"],
            name="OKI Hoofddorp",
            team=team,
            start_date=yesterday,
            created_by=worker,
        ),
        "volunteer": volunteer,
        "volunteer_hours": volunteer_hours_of(volunteer, home_start),
        "match": match,
        "rollup_run": RollupRun.objects.create(periods=["2025"], requested_by=admin),
        # Another team's / another product's objects, for the IDOR tests.
        "other_client": other_case.client,
        "other_case": other_case,
        "other_consent": consent_of(other_case.client),
        "other_mediation_case": other_mediation_case,
        "other_volunteer": other_volunteer,
        "other_volunteer_hours": volunteer_hours_of(other_volunteer, other_product),
        "other_match": other_match,
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    return World(users=users, objects=objects, tokens=tokens)


def url_of(world: World, name: str, expect, swap: dict | None = None) -> str:
    """The URL of a matrix row, its kwargs filled with the world's objects (or the
    objects `swap` names instead)."""
    swap = swap or {}
    kwargs = {}
    for kwarg, key in expect.kwargs.items():
        value = world.objects[swap.get(key, key)] if key not in ("csv", "xlsx") else key
        kwargs[kwarg] = getattr(value, "pk", value)
    return reverse(name, kwargs=kwargs)


def ask(client, world: World, role, name: str, method: str, url: str):
    """One request, rolled back afterwards. The API is asked with the role's token."""
    headers = {}
    if name.startswith("api:") and role != ANONYMOUS:
        headers["HTTP_AUTHORIZATION"] = f"Token {world.tokens[role]}"
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, **headers)
            transaction.set_rollback(True)
    finally:
        # A logout (or a rotated session) in one request must not change the next.
        client.cookies = cookies
    return response


def observed(response) -> object:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code
