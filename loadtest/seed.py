"""The load database: accounts per role with a known password, teams, waiting Home-Start
cases and screened volunteers with free places for the coordinators, and the plan the
locustfiles read (accounts, the run's marker prefix, the products an intake may choose).
Runs inside Django (`loadtest.run` sets it up); the factories are the tests' factories."""

import datetime

PASSWORD = "Belasting-Test-2026!"  # noqa: S105 — accounts of a throwaway load database
HOME_START = "home-start-en-home-start-plus"
HOME_START_TRAINING = "Home-Start training"
# Ages the intake clients get; the seed offers only products that fit both ends.
YOUNGEST, OLDEST = 30, 60


def role_counts(users: int) -> dict[str, int]:
    """The accounts per role: as Locust divides the users over the locustfiles' weights
    (3 : 1 : 1), so every simulated user has an account of its own."""
    coordinators = max(1, round(users * 0.2))
    managers = max(1, round(users * 0.2))
    return {
        "sociaal_werker": max(1, users - coordinators - managers),
        "coordinator": coordinators,
        "manager": managers,
    }


def seed(users: int, run_id: str) -> dict:
    """Accounts per role with the known password, teams, waiting Home-Start cases and
    screened volunteers with free places for the coordinators."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from cases.choices import CaseStatus
    from catalogue.eligibility import Person, check_eligibility
    from catalogue.models import Product
    from meerwaarde.accounts.models import Role, Team, User
    from tests.cases_factories import CaseFactory, ClientFactory
    from tests.volunteers_factories import VolunteerFactory
    from volunteers.models import TrainingType, VolunteerTraining

    counts = role_counts(users)
    today = datetime.date.today()
    password = make_password(PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    usernames: dict[str, list[str]] = {}
    with transaction.atomic():
        teams = [
            Team.objects.get_or_create(name=f"Belastingtest team {n + 1}")[0]
            for n in range(max(1, counts["sociaal_werker"] // 5))
        ]
        for role, prefix in (
            (Role.SOCIAL_WORKER, "lt_sw"),
            (Role.COORDINATOR, "lt_co"),
            (Role.MANAGER, "lt_ma"),
        ):
            names = [f"{prefix}{n + 1:03d}" for n in range(counts[role])]
            usernames[role] = names
            for n, username in enumerate(names):
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={
                        "role": role,
                        "password": password,
                        "first_name": username,
                        "last_name": "Belastingtest",
                        "email": f"{username}@meerwaarde.invalid",
                    },
                )
                if role == Role.SOCIAL_WORKER:
                    user.teams.set([teams[n % len(teams)]])
        home_start = Product.objects.get(slug=HOME_START)
        coordinators = User.objects.filter(username__in=usernames[Role.COORDINATOR])
        home_start.coordinators.add(*coordinators)
        workers = list(User.objects.filter(username__in=usernames[Role.SOCIAL_WORKER]))
        training = TrainingType.objects.get(name=HOME_START_TRAINING)
        for n in range(max(10, 6 * counts["coordinator"])):
            worker = workers[n % len(workers)]
            CaseFactory(
                client=ClientFactory(team=worker.teams.first(), created_by=worker),
                product=home_start,
                responsible_worker=worker,
                status=CaseStatus.WAITING_LIST,
                waiting_since=today - datetime.timedelta(weeks=2 + n % 20),
                registered_on=today - datetime.timedelta(days=200),
            )
        for _ in range(max(20, 4 * counts["coordinator"])):
            volunteer = VolunteerFactory(
                products=[home_start], max_matches=20, created_by=coordinators[0]
            )
            VolunteerTraining.objects.create(
                volunteer=volunteer,
                training=training,
                completed_on=today - datetime.timedelta(days=60),
            )
    fitting = []
    for product in Product.objects.filter(is_active=True).order_by("pk"):
        people = [
            Person(
                birth_date=today.replace(year=today.year - age, day=1),
                lives_in_haarlemmermeer=True,
            )
            for age in (YOUNGEST, OLDEST)
        ]
        if all(check_eligibility(product, p, reference_date=today).fits for p in people):
            fitting.append(product.pk)
    if not fitting:
        raise SystemExit("Geen product past bij de aanmeldingen van de belastingtest.")
    return {
        "run_id": run_id,
        "password": PASSWORD,
        "users": usernames,
        "intake_products": fitting,
        "intake_ages": [YOUNGEST, OLDEST],
    }
