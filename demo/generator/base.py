"""The generator's figures per scale, the COPY writer and the shared steps (reference data,
users); the other modules of this package add the rows of each domain."""

import datetime
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection

from cases.choices import CaseStatus
from catalogue.models import (
    Area,
    AreaKind,
    HourBudget,
    Location,
    LocationKind,
    Product,
    VolunteerMatching,
)
from catalogue.services import save_hour_budget
from demo.population import FIRST_NAMES, KERN_WEIGHTS, LAST_NAMES
from meerwaarde.accounts.models import Role, Team, User

BENCH_PASSWORD = "MeerWaarde-bench-2026"  # noqa: S105  (throwaway benchmark databases only)

PER_SCALE = {
    "clients": 12_000,
    "cases": 15_000,
    "hours": 250_000,
    "volunteers": 1_500,
    "matches": 2_000,
    "volunteer_hours": 50_000,
    "pluspunt_contacts": 40_000,
    "activities": 60,
    "social_workers": 150,
    "coordinators": 12,
}

TEAMS = {
    "Team Hoofddorp": ("Hoofddorp",),
    "Team Nieuw-Vennep": ("Nieuw-Vennep",),
    "Team Badhoevedorp-Zwanenburg": ("Badhoevedorp", "Zwanenburg", "Halfweg", "Lijnden"),
}
OTHER_TEAM = "Team Dorpen"
# Cases per product (weights): the individual products of the catalogue.
CASE_PRODUCTS = {
    "1-5-gesprekken": 20,
    "5-10-gesprekken": 8,
    "vangnetcontact": 6,
    "formulierenbrigade": 12,
    "thuisadministratie": 6,
    "home-start-en-home-start-plus": 5,
    "buurt-en-groepsbemiddeling": 7,
    "maatjesprojecten": 6,
    "preventieve-huisbezoeken": 10,
    "opvoedondersteuning": 5,
    "matchmentor": 3,
    "trajectbegeleiding": 4,
    "sociaal-makelaar": 5,
    "opgroeiondersteuning-sova": 1,
    "laagdrempelige-activiteiten": 2,
}
GROUP_PRODUCTS = (
    "groepsgerichte-activiteiten",
    "ouder-en-kind-inloop-oki",
    "meerbabbels",
    "participatiecursussen",
    "themabijeenkomsten",
    "laagdrempelige-activiteiten",
    "opgroeiondersteuning-sova",
    "stacks",
)
PLUSPUNTEN = (
    ("PlusPunt Hoofddorp Centrum", "Hoofddorp", 30),
    ("PlusPunt Hoofddorp Toolenburg", "Hoofddorp", 15),
    ("PlusPunt Nieuw-Vennep", "Nieuw-Vennep", 20),
    ("PlusPunt Badhoevedorp", "Badhoevedorp", 10),
    ("PlusPunt Zwanenburg", "Zwanenburg", 8),
    ("PlusPunt Rijsenhout", "Rijsenhout", 5),
    ("PlusPunt Lisserbroek", "Lisserbroek", 5),
    ("PlusPunt Vijfhuizen", "Vijfhuizen", 7),
)
STATUS_MIX = {
    CaseStatus.REGISTERED: 6,
    CaseStatus.INTAKE: 8,
    CaseStatus.ACTIVE: 30,
    CaseStatus.WAITING_LIST: 8,
    CaseStatus.REFERRED: 8,
    CaseStatus.CLOSED: 35,
    CaseStatus.CANCELLED: 5,
}
# Fewer registrations in the summer holidays and in December.
MONTH_WEIGHTS = (1.0, 1.0, 1.05, 1.0, 1.0, 0.95, 0.7, 0.6, 1.0, 1.05, 1.05, 0.85)
LANGUAGES = ("Nederlands", "Engels", "Arabisch", "Turks", "Pools", "Tigrinya", "Oekraïens")
HOURS_CHOICES = tuple(Decimal(q) / 4 for q in range(1, 17))  # 0.25 … 4.00
HOURS_WEIGHTS = (6, 10, 6, 22, 4, 10, 2, 14, 1, 3, 1, 6, 1, 1, 1, 4)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


class Copier:
    """COPY rows into a model's table, with ids assigned here."""

    def __init__(self, stdout):
        self.stdout = stdout

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_table(model)}")  # noqa: S608
            return cursor.fetchone()[0]

    def copy(self, model, fields: list[str], rows) -> int:
        started = time.monotonic()
        columns = ", ".join(_column(model, name) for name in fields)
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {_table(model)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            if "id" in fields:
                last_id = f"SELECT COALESCE(MAX(id), 1) FROM {_table(model)}"  # noqa: S608
                raw.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({last_id}))",
                    [model._meta.db_table],
                )
        self.stdout.write(
            f"  {model._meta.db_table}: {count:,} rijen in {time.monotonic() - started:.1f} s"
        )
        return count


class GeneratorBase:
    """State and helpers of one run; `handle` of the command sets rng, copier, year, scale."""

    # --- helpers -------------------------------------------------------------------------

    def n(self, key: str) -> int:
        return PER_SCALE[key] * self.scale

    def weighted(self, mapping: dict, k: int) -> list:
        return self.rng.choices(list(mapping), weights=list(mapping.values()), k=k)

    def dates(self, k: int) -> list[datetime.date]:
        """k dates in the year, by the month weights, on working days."""
        by_month = getattr(self, "_working_days", None)
        if by_month is None:
            by_month = self._working_days = []
            for month in range(1, 13):
                day = datetime.date(self.year, month, 1)
                days = []
                while day.month == month:
                    if day.weekday() < 5:
                        days.append(day)
                    day += datetime.timedelta(days=1)
                by_month.append(days)
        months = self.rng.choices(range(12), weights=MONTH_WEIGHTS, k=k)
        choice = self.rng.choice
        return [choice(by_month[m]) for m in months]

    def at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=datetime.UTC)

    # --- reference data --------------------------------------------------------------------

    def _reference(self) -> None:
        self.products = {p.slug: p for p in Product.objects.all()}
        self.kernen = {a.name: a for a in Area.objects.filter(kind=AreaKind.KERN)}
        self.wijken: dict[int, list[Area]] = {}
        for wijk in Area.objects.filter(kind=AreaKind.WIJK):
            self.wijken.setdefault(wijk.parent_id, []).append(wijk)
        self.locations = []
        for name, kern, weight in PLUSPUNTEN:
            location, _ = Location.objects.get_or_create(
                name=name,
                defaults={
                    "kind": LocationKind.PLUSPUNT,
                    "area": self.kernen[kern],
                    "opening_hours": "ma-vr 9:00-12:00",
                },
            )
            self.locations.append((location, weight))
        for budget in HourBudget.objects.filter(year=self.year + 1):
            if not HourBudget.objects.filter(product=budget.product, year=self.year).exists():
                save_hour_budget(
                    budget=HourBudget(
                        product=budget.product,
                        year=self.year,
                        agreed_hours=(budget.budgeted_hours * self.scale * 20).quantize(
                            Decimal("0.01")
                        ),
                    )
                )
        self.teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}
        self.teams[OTHER_TEAM] = Team.objects.get_or_create(name=OTHER_TEAM)[0]
        self.team_of_kern = {
            kern: self.teams[team] for team, kernen in TEAMS.items() for kern in kernen
        }

    def _users(self) -> None:
        password = make_password(BENCH_PASSWORD)
        rng = self.rng
        team_weights = dict.fromkeys(self.teams.values(), 0.0)
        for kern, weight in KERN_WEIGHTS.items():
            team_weights[self.team_of_kern.get(kern, self.teams[OTHER_TEAM])] += weight
        users, memberships = [], []
        next_id = self.copier.next_id(User)
        self.workers_of_team: dict[int, list[int]] = {t.pk: [] for t in self.teams.values()}
        worker_teams = self.weighted(team_weights, self.n("social_workers") - 1)
        specs = [("bench_sociaalwerker", Role.SOCIAL_WORKER, self.teams["Team Hoofddorp"])]
        specs += [
            (f"sw{i:05d}", Role.SOCIAL_WORKER, team) for i, team in enumerate(worker_teams, 1)
        ]
        specs += [("bench_coordinator", Role.COORDINATOR, None)]
        specs += [(f"co{i:04d}", Role.COORDINATOR, None) for i in range(1, self.n("coordinators"))]
        specs += [
            ("bench_manager", Role.MANAGER, None),
            ("bench_beheerder", Role.FUNCTIONAL_ADMIN, None),
        ]
        self.user_ids = {}
        for offset, (username, role, team) in enumerate(specs):
            pk = next_id + offset
            self.user_ids[username] = pk
            users.append(
                (
                    pk,
                    password,
                    False,
                    username,
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    f"{username}@meerwaarde.invalid",
                    role == Role.FUNCTIONAL_ADMIN,
                    True,
                    self.now,
                    role,
                    False,
                )
            )
            if team is not None:
                memberships.append((pk, team.pk))
                self.workers_of_team[team.pk].append(pk)
        self.copier.copy(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "role",
                "must_change_password",
            ],
            users,
        )
        User.teams.through.objects.bulk_create(
            [User.teams.through(user_id=u, team_id=t) for u, t in memberships], batch_size=5000
        )
        # Coordinators per volunteer product; the bench coordinator has the biggest two.
        volunteer_products = [
            p for p in self.products.values() if p.volunteer_matching != VolunteerMatching.NONE
        ]
        coordinator_ids = [
            pk for name, pk in self.user_ids.items() if name.startswith(("co", "bench_co"))
        ]
        through = Product.coordinators.through
        rows = [
            through(product_id=self.products[slug].pk, user_id=self.user_ids["bench_coordinator"])
            for slug in ("home-start-en-home-start-plus", "maatjesprojecten")
        ]
        for index, product in enumerate(volunteer_products):
            rows.append(
                through(
                    product_id=product.pk, user_id=coordinator_ids[index % len(coordinator_ids)]
                )
            )
        through.objects.bulk_create(rows, ignore_conflicts=True)

    # --- clients and cases -----------------------------------------------------------------

    def _birth_date(self) -> datetime.date:
        roll = self.rng.random()
        if roll < 0.208:
            age = self.rng.randint(0, 17)
        elif roll < 0.208 + 0.174:
            age = self.rng.randint(65, 95)
        else:
            age = self.rng.randint(18, 64)
        return datetime.date(self.year - age, 1, 1) + datetime.timedelta(
            days=self.rng.randint(0, 364)
        )
