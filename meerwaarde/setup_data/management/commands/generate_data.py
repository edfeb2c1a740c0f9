"""Benchmark data: a year of MeerWaarde at `--scale N` (1 ≈ one real year), built fast.

Scale 1: 12,000 clients with 15,000 cases, 250,000 staff hour registrations, 1,500
volunteers with 2,000 matches and 50,000 volunteer hours, 40,000 PlusPunt contacts, group
activities with weekly sessions; scale 10 is ten times every one of those (teams, products
and kernen stay the same, so a team's lists grow tenfold). Spread as DOMAIN.md suggests:
residents by kern roughly by population, 20.8 % under 18 and 17.4 % 65+, 14 % mantelzorgers of
whom 14 % overbelast, fewer registrations in the summer holidays and in December.

Rows are written with PostgreSQL COPY (ids assigned here, sequences moved on afterwards), so
scale 10 takes a few minutes. Deterministic: the same seed and scale give the same rows.
Needs PostgreSQL (DATABASE_URL) and an empty registration database: run `migrate` first;
reference data is loaded here. The benchmark accounts (password BENCH_PASSWORD) are
`bench_sociaalwerker`, `bench_coordinator`, `bench_manager` and `bench_beheerder`.
Not for production databases: it refuses when clients exist.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.choices import (
    CaseStatus,
    ConsentPurpose,
    ContactTopic,
    HourKind,
    Partner,
    ReferralSource,
)
from cases.models import (
    AnonymousContact,
    Case,
    CaseOutcome,
    CaseStatusChange,
    Client,
    Consent,
    GroupActivity,
    GroupSession,
    HourRegistration,
    Referral,
)
from catalogue.models import (
    Area,
    AreaKind,
    HourBudget,
    Location,
    LocationKind,
    Product,
    VolunteerMatching,
    normalise_for_search,
)
from catalogue.services import save_hour_budget
from meerwaarde.accounts.models import Role, Team, User
from meerwaarde.setup_data.population import KERN_WEIGHTS
from volunteers.models import (
    Availability,
    DayPart,
    Match,
    MatchRole,
    MatchStatus,
    ScreeningRule,
    TrainingType,
    Volunteer,
    VolunteerHours,
    VolunteerStatus,
    VolunteerTraining,
)

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
FIRST_NAMES = (
    "Anna",
    "Emma",
    "Sophie",
    "Julia",
    "Fatima",
    "Samira",
    "Noor",
    "Lotte",
    "Sanne",
    "Ingrid",
    "Maria",
    "Aisha",
    "Yasmin",
    "Eva",
    "Fleur",
    "Jan",
    "Piet",
    "Kees",
    "Mohamed",
    "Mehmet",
    "Youssef",
    "Daan",
    "Sem",
    "Lucas",
    "Thijs",
    "Ruud",
    "Joost",
    "Bram",
    "Ahmed",
    "Ali",
    "Henk",
    "Wim",
    "Gerrit",
    "Els",
    "Ria",
    "Truus",
    "Marja",
    "Sevda",
    "Emre",
    "Olga",
    "Tomasz",
    "Agnieszka",
    "Priya",
    "Ravi",
    "Mei",
    "Wei",
)
LAST_NAMES = (
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Bouzid",
    "Ouali",
    "Nowak",
    "Kowalski",
    "Sahin",
    "Aydin",
    "Hassan",
    "Veenstra",
    "Kramer",
    "Prins",
    "Blom",
    "Huisman",
    "Kok",
    "Jacobs",
    "Schouten",
    "Post",
    "Kuiper",
    "Willems",
    "Vermeulen",
    "Hoekstra",
)
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


class Command(BaseCommand):
    help = (
        "Bouwt benchmarkgegevens: een jaar MeerWaarde maal --scale (1 = 250.000 uren, "
        "15.000 trajecten, 12.000 cliënten, 1.500 vrijwilligers, 40.000 PlusPunt-contacten). "
        "Alleen op een lege PostgreSQL-database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=394)
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Het jaar van de gegevens (standaard: vorig jaar, een volledig jaar).",
        )

    def handle(self, *args, scale: int, seed: int, year: int | None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_data heeft PostgreSQL nodig (DATABASE_URL).")
        if scale < 1:
            raise CommandError("--scale is minstens 1.")
        if Client.objects.exists():
            raise CommandError("Er staan al cliënten in deze database; gebruik een lege.")
        started = time.monotonic()
        call_command("load_reference_data", stdout=self.stdout)
        self.year = year or datetime.date.today().year - 1
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
        self.copier = Copier(self.stdout)
        self.now = datetime.datetime(self.year + 1, 1, 2, 9, 0, tzinfo=datetime.UTC)
        self.stdout.write(f"Benchmarkgegevens voor {self.year}, schaal {scale} (seed {seed})")
        with transaction.atomic():
            self._reference()
            # The rows are consistent by construction: skip the per-row foreign-key triggers
            # (deferred to commit they cost more than the COPY itself). Needs a superuser,
            # which the throwaway benchmark cluster's owner is.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            self._users()
            self._clients()
            self._cases()
            self._hours()
            self._volunteers()
            self._matches()
            self._volunteer_hours()
            self._walk_ins_and_groups()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"Klaar in {time.monotonic() - started:.1f} s")

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

    def _clients(self) -> None:
        rng = self.rng
        count = self.n("clients")
        next_id = self.copier.next_id(Client)
        kern_names = self.weighted(KERN_WEIGHTS, count)
        creators = self.workers_of_team
        self.client_kern: list[int] = []
        self.client_team: list[int] = []
        self.client_ids: list[int] = []
        rows = []
        consents = []
        letters = "ABCDEFGHJKLMNPRSTVWXZ"
        created_days = self.dates(count)
        for index in range(count):
            pk = next_id + index
            kern = self.kernen[kern_names[index]]
            team = self.team_of_kern.get(kern.name, self.teams[OTHER_TEAM])
            wijken = self.wijken.get(kern.pk)
            wijk = rng.choice(wijken).pk if wijken and rng.random() < 0.8 else None
            pc4 = rng.choice(kern.postcodes) if kern.postcodes else ""
            postcode = f"{pc4}{rng.choice(letters)}{rng.choice(letters)}" if pc4 else ""
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            full = f"{first} {last}"
            creator = rng.choice(creators[team.pk])
            created = self.at(created_days[index])
            rows.append(
                (
                    pk,
                    first,
                    "",
                    last,
                    self._birth_date(),
                    rng.choice(("vrouw", "vrouw", "man", "man", "")),
                    "Dorpsstraat" if pc4 else "",
                    rng.randint(1, 250),
                    "",
                    postcode,
                    pc4,
                    kern.name,
                    True,
                    kern.pk,
                    wijk,
                    "06" + str(rng.randint(10_000_000, 99_999_999)),
                    "",
                    rng.choice(("", "", "", "", "Arabisch, tolk nodig", "Turks", "Pools")),
                    "",
                    team.pk,
                    normalise_for_search(full),
                    creator,
                    created,
                    created,
                    1,
                )
            )
            consents.append(
                (
                    pk,
                    ConsentPurpose.REGISTRATION,
                    True,
                    "2026-1",
                    creator,
                    created,
                )
            )
            self.client_kern.append(kern.pk)
            self.client_team.append(team.pk)
            self.client_ids.append(pk)
        self.copier.copy(
            Client,
            [
                "id",
                "first_name",
                "last_name_prefix",
                "last_name",
                "birth_date",
                "gender",
                "street",
                "house_number",
                "house_number_addition",
                "postcode",
                "pc4",
                "city",
                "lives_in_haarlemmermeer",
                "kern",
                "wijk",
                "phone",
                "email",
                "language_needs",
                "external_reference",
                "team",
                "search_name",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
            rows,
        )
        self.copier.copy(
            Consent,
            ["client", "purpose", "given", "text_version", "recorded_by", "recorded_at"],
            consents,
        )

    def _cases(self) -> None:
        rng = self.rng
        count = self.n("cases")
        next_id = self.copier.next_id(Case)
        # Every client has a case; a fifth of them a second one.
        client_index = list(range(len(self.client_ids)))
        client_index += rng.choices(client_index, k=count - len(client_index))
        products = self.weighted(CASE_PRODUCTS, count)
        statuses = self.weighted(STATUS_MIX, count)
        registered = self.dates(count)
        sources = rng.choices(ReferralSource.values, k=count)
        year_end = datetime.date(self.year, 12, 31)
        rows, changes, outcomes, referrals = [], [], [], []
        self.cases = []  # (id, product slug, status, client index, registered_on, team)
        for index in range(count):
            pk = next_id + index
            ci = client_index[index]
            team = self.client_team[ci]
            worker = rng.choice(self.workers_of_team[team])
            status = statuses[index]
            registered_on = registered[index]
            closed_on = waiting_since = None
            if status in (CaseStatus.CLOSED, CaseStatus.REFERRED, CaseStatus.CANCELLED):
                closed_on = min(
                    registered_on + datetime.timedelta(days=rng.randint(7, 200)), year_end
                )
            if status == CaseStatus.WAITING_LIST:
                waiting_since = min(
                    registered_on + datetime.timedelta(days=rng.randint(0, 21)), year_end
                )
            caregiver = rng.random() < 0.14
            overburdened = caregiver and rng.random() < 0.14
            created = self.at(registered_on)
            rows.append(
                (
                    pk,
                    self.client_ids[ci],
                    self.products[products[index]].pk,
                    team,
                    worker,
                    status,
                    sources[index],
                    "",
                    "Hulpvraag bij aanmelding.",
                    '["financien"]' if rng.random() < 0.4 else "[]",
                    caregiver,
                    overburdened,
                    "[]",
                    registered_on,
                    waiting_since,
                    closed_on,
                    worker,
                    created,
                    created,
                    1,
                )
            )
            changes.append((pk, "", status, worker, created, ""))
            if status == CaseStatus.CLOSED:
                outcomes.append(
                    (
                        pk,
                        self.weighted({"ja": 60, "deels": 28, "nee": 12}, 1)[0],
                        rng.random() < 0.7,
                        "",
                        "",
                        worker,
                        self.at(closed_on),
                    )
                )
            if status == CaseStatus.REFERRED or rng.random() < 0.05:
                referrals.append(
                    (
                        pk,
                        rng.choice(Partner.values),
                        "",
                        closed_on or registered_on,
                        False,
                        "",
                        worker,
                        created,
                    )
                )
            self.cases.append((pk, products[index], status, ci, registered_on, team))
        self.copier.copy(
            Case,
            [
                "id",
                "client",
                "product",
                "team",
                "responsible_worker",
                "status",
                "referral_source",
                "referral_source_detail",
                "question",
                "life_domains",
                "is_caregiver",
                "caregiver_overburdened",
                "confirmed_criteria",
                "registered_on",
                "waiting_since",
                "closed_on",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
            rows,
        )
        self.copier.copy(
            CaseStatusChange,
            ["case", "from_status", "to_status", "changed_by", "changed_at", "note"],
            changes,
        )
        self.copier.copy(
            CaseOutcome,
            [
                "case",
                "goal_reached",
                "can_continue_independently",
                "referred_to",
                "note",
                "recorded_by",
                "recorded_at",
            ],
            outcomes,
        )
        self.copier.copy(
            Referral,
            [
                "case",
                "partner",
                "partner_detail",
                "date",
                "data_shared",
                "note",
                "created_by",
                "created_at",
            ],
            referrals,
        )

    # --- staff hours ----------------------------------------------------------------------

    def _hours(self) -> None:
        rng = self.rng
        count = self.n("hours")
        case_hours = int(count * 0.7)
        dates = self.dates(count)
        amounts = rng.choices(HOURS_CHOICES, weights=HOURS_WEIGHTS, k=count)
        kinds = self.weighted(
            {
                HourKind.DIRECT: 60,
                HourKind.COORDINATION: 15,
                HourKind.TRAVEL: 10,
                HourKind.GROUP: 8,
                HourKind.TRAINING: 7,
            },
            count,
        )
        other_products = [p.pk for slug, p in self.products.items() if slug not in CASE_PRODUCTS]
        all_workers = [pk for pks in self.workers_of_team.values() for pk in pks]
        kern_ids = [self.kernen[name].pk for name in KERN_WEIGHTS]
        kern_weights = list(KERN_WEIGHTS.values())
        cases = self.cases
        rows = []
        for index in range(count):
            if index < case_hours:
                case_id, slug, _status, ci, _registered, team = rng.choice(cases)
                worker = rng.choice(self.workers_of_team[team])
                product = self.products[slug].pk
                kern = self.client_kern[ci]
            else:
                case_id = None
                worker = rng.choice(all_workers)
                product = rng.choice(other_products)
                kern = (
                    rng.choices(kern_ids, weights=kern_weights, k=1)[0]
                    if rng.random() < 0.85
                    else None
                )
            rows.append(
                (
                    worker,
                    dates[index],
                    amounts[index],
                    product,
                    case_id,
                    kinds[index],
                    kern,
                    "",
                    "",
                    "",
                    worker,
                    self.now,
                    self.now,
                )
            )
        self.copier.copy(
            HourRegistration,
            [
                "worker",
                "date",
                "hours",
                "product",
                "case",
                "kind",
                "kern",
                "pc4",
                "client_reference",
                "note",
                "created_by",
                "created_at",
                "updated_at",
            ],
            rows,
        )

    # --- volunteers -----------------------------------------------------------------------

    def _volunteers(self) -> None:
        rng = self.rng
        count = self.n("volunteers")
        next_id = self.copier.next_id(Volunteer)
        matching = {
            slug: p
            for slug, p in self.products.items()
            if p.volunteer_matching != VolunteerMatching.NONE
        }
        product_weights = {slug: CASE_PRODUCTS.get(slug, 4) for slug in matching}
        rules = {
            r.product_id: [t.pk for t in r.required_trainings.all()]
            for r in ScreeningRule.objects.prefetch_related("required_trainings")
        }
        extra_trainings = list(TrainingType.objects.values_list("pk", flat=True))
        statuses = self.weighted(
            {
                VolunteerStatus.ACTIVE: 78,
                VolunteerStatus.ASPIRANT: 8,
                VolunteerStatus.PAUSED: 6,
                VolunteerStatus.STOPPED: 8,
            },
            count,
        )
        kern_names = self.weighted(KERN_WEIGHTS, count)
        coordinator = self.user_ids["bench_coordinator"]
        rows, products, served, trainings, slots = [], [], [], [], []
        self.volunteers_of_product: dict[str, list[int]] = {slug: [] for slug in matching}
        self.volunteer_kern: dict[int, int] = {}
        day_parts = DayPart.values
        for index in range(count):
            pk = next_id + index
            kern = self.kernen[kern_names[index]]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            status = statuses[index]
            vog = (
                datetime.date(self.year, 1, 1) + datetime.timedelta(days=rng.randint(-500, 330))
                if status != VolunteerStatus.ASPIRANT
                else None
            )
            languages = ["Nederlands"] + ([rng.choice(LANGUAGES[1:])] if rng.random() < 0.3 else [])
            rows.append(
                (
                    pk,
                    first,
                    "",
                    last,
                    datetime.date(self.year - rng.randint(18, 80), 6, 1),
                    f"vrijwilliger{pk}@example.invalid",
                    "",
                    "",
                    "",
                    kern.pk,
                    status,
                    rng.choice((1, 1, 1, 2, 2, 3)),
                    str(languages).replace("'", '"'),
                    "",
                    "",
                    vog,
                    normalise_for_search(f"{first} {last}"),
                    coordinator,
                    self.now,
                    self.now,
                    1,
                )
            )
            self.volunteer_kern[pk] = kern.pk
            chosen = set(self.weighted(product_weights, rng.choice((1, 1, 2))))
            done = set()
            for slug in chosen:
                products.append((pk, matching[slug].pk))
                if status == VolunteerStatus.ACTIVE:
                    self.volunteers_of_product[slug].append(pk)
                done.update(rules.get(matching[slug].pk, []))
            if rng.random() < 0.2:
                done.add(rng.choice(extra_trainings))
            for training in done:
                trainings.append((pk, training, vog or datetime.date(self.year, 3, 1)))
            for area in {kern.pk, *(self.kernen[k].pk for k in self.weighted(KERN_WEIGHTS, 2))}:
                served.append((pk, area))
            for weekday, part in {
                (rng.randint(0, 4), rng.choice(day_parts)) for _ in range(rng.randint(1, 4))
            }:
                slots.append((pk, weekday, part))
        self.copier.copy(
            Volunteer,
            [
                "id",
                "first_name",
                "last_name_prefix",
                "last_name",
                "birth_date",
                "email",
                "phone",
                "postcode",
                "pc4",
                "kern",
                "status",
                "max_matches",
                "languages",
                "skills",
                "wishes",
                "vog_date",
                "search_name",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
            rows,
        )
        self.copier.copy(Volunteer.products.through, ["volunteer", "product"], products)
        self.copier.copy(Volunteer.kernen_served.through, ["volunteer", "area"], served)
        self.copier.copy(VolunteerTraining, ["volunteer", "training", "completed_on"], trainings)
        self.copier.copy(Availability, ["volunteer", "weekday", "day_part"], slots)

    def _matches(self) -> None:
        rng = self.rng
        count = self.n("matches")
        next_id = self.copier.next_id(Match)
        candidates = [
            case
            for case in self.cases
            if case[1] in self.volunteers_of_product
            and case[2] in (CaseStatus.ACTIVE, CaseStatus.CLOSED, CaseStatus.INTAKE)
        ]
        roles = {
            VolunteerMatching.TWO_MEDIATORS: MatchRole.MEDIATOR,
            VolunteerMatching.MENTOR_MENTEE: MatchRole.MENTOR,
            VolunteerMatching.HOST_AT_LOCATION: MatchRole.HOST,
        }
        year_end = datetime.date(self.year, 12, 31)
        coordinator = self.user_ids["bench_coordinator"]
        seen = set()
        rows = []
        self.matches = []  # (id, volunteer, product id, started_on, ended_on, kern)
        while len(rows) < count and candidates:
            case_id, slug, status, ci, registered_on, _team = rng.choice(candidates)
            volunteers = self.volunteers_of_product[slug]
            if not volunteers:
                continue
            volunteer = rng.choice(volunteers)
            if (volunteer, case_id) in seen:
                continue
            seen.add((volunteer, case_id))
            product = self.products[slug]
            proposed = min(registered_on + datetime.timedelta(days=rng.randint(7, 90)), year_end)
            introduced = min(proposed + datetime.timedelta(days=rng.randint(3, 14)), year_end)
            started = min(introduced + datetime.timedelta(days=rng.randint(1, 10)), year_end)
            if status == CaseStatus.CLOSED:
                match_status, ended = MatchStatus.COMPLETED, year_end
                ended = min(started + datetime.timedelta(days=rng.randint(60, 300)), year_end)
            elif rng.random() < 0.08:
                match_status = MatchStatus.BROKEN_OFF
                ended = min(started + datetime.timedelta(days=rng.randint(10, 90)), year_end)
            else:
                match_status, ended = MatchStatus.ACTIVE, None
            pk = next_id + len(rows)
            rows.append(
                (
                    pk,
                    volunteer,
                    case_id,
                    roles.get(product.volunteer_matching, MatchRole.BUDDY)
                    if slug != "home-start-en-home-start-plus"
                    else MatchRole.HOME_START,
                    match_status,
                    proposed,
                    introduced,
                    started,
                    ended,
                    "",
                    None,
                    None,
                    "",
                    coordinator,
                    self.at(proposed),
                )
            )
            self.matches.append((pk, volunteer, product.pk, started, ended, self.client_kern[ci]))
        self.copier.copy(
            Match,
            [
                "id",
                "volunteer",
                "case",
                "role",
                "status",
                "proposed_on",
                "introduced_on",
                "started_on",
                "ended_on",
                "end_reason",
                "interim_evaluation_on",
                "final_evaluation_on",
                "evaluation_notes",
                "created_by",
                "created_at",
            ],
            rows,
        )

    def _volunteer_hours(self) -> None:
        rng = self.rng
        count = self.n("volunteer_hours")
        coordinator = self.user_ids["bench_coordinator"]
        year_end = datetime.date(self.year, 12, 31)
        hosts = self.volunteers_of_product.get("spreekuur-in-de-wijk", [])
        host_product = self.products["spreekuur-in-de-wijk"].pk
        amounts = rng.choices(HOURS_CHOICES, weights=HOURS_WEIGHTS, k=count)
        rows = []
        for index in range(count):
            if hosts and index % 5 == 0:
                volunteer = rng.choice(hosts)
                day = self.dates(1)[0]
                location, _weight = rng.choice(self.locations)
                rows.append(
                    (
                        volunteer,
                        day,
                        amounts[index],
                        host_product,
                        None,
                        None,
                        location.area_id,
                        "",
                        coordinator,
                        self.now,
                    )
                )
                continue
            pk, volunteer, product, started, ended, kern = rng.choice(self.matches)
            last = ended or year_end
            span = (last - started).days
            day = started + datetime.timedelta(days=rng.randint(0, max(span, 0)))
            rows.append(
                (volunteer, day, amounts[index], product, pk, None, kern, "", coordinator, self.now)
            )
        self.copier.copy(
            VolunteerHours,
            [
                "volunteer",
                "date",
                "hours",
                "product",
                "match",
                "activity",
                "kern",
                "note",
                "registered_by",
                "created_at",
            ],
            rows,
        )

    # --- walk-in contacts and group work ---------------------------------------------------

    def _walk_ins_and_groups(self) -> None:
        rng = self.rng
        count = self.n("pluspunt_contacts")
        locations = dict(self.locations)
        chosen = self.weighted(locations, count)
        dates = self.dates(count)
        topics = self.weighted(
            {
                ContactTopic.INFORMATION: 25,
                ContactTopic.FORMS: 25,
                ContactTopic.MONEY: 15,
                ContactTopic.LONELINESS: 8,
                ContactTopic.HOUSING: 8,
                ContactTopic.CARE: 8,
                ContactTopic.VOLUNTEERING: 4,
                ContactTopic.ACTIVITIES: 4,
                ContactTopic.OTHER: 3,
            },
            count,
        )
        product = self.products["spreekuur-in-de-wijk"].pk
        workers = [pk for pks in self.workers_of_team.values() for pk in pks]
        rows = []
        for index in range(count):
            referred = rng.random() < 0.15
            rows.append(
                (
                    dates[index],
                    chosen[index].pk,
                    product,
                    topics[index],
                    referred,
                    rng.choice(Partner.values) if referred else "",
                    rng.choice(workers),
                    self.now,
                )
            )
        self.copier.copy(
            AnonymousContact,
            [
                "date",
                "location",
                "product",
                "topic",
                "referred_on",
                "referred_to",
                "registered_by",
                "created_at",
            ],
            rows,
        )
        next_id = self.copier.next_id(GroupActivity)
        activities, sessions = [], []
        kern_names = self.weighted(KERN_WEIGHTS, self.n("activities"))
        for index in range(self.n("activities")):
            pk = next_id + index
            slug = GROUP_PRODUCTS[index % len(GROUP_PRODUCTS)]
            kern = self.kernen[kern_names[index]]
            team = self.team_of_kern.get(kern.name, self.teams[OTHER_TEAM])
            creator = rng.choice(self.workers_of_team[team.pk])
            activities.append(
                (
                    pk,
                    self.products[slug].pk,
                    f"Groep {index + 1} {kern.name}",
                    team.pk,
                    None,
                    kern.pk,
                    datetime.date(self.year, 1, 6),
                    None,
                    True,
                    creator,
                )
            )
            day = datetime.date(self.year, 1, 6) + datetime.timedelta(days=rng.randint(0, 4))
            while day.year == self.year:
                if MONTH_WEIGHTS[day.month - 1] > 0.8:
                    participants = rng.randint(4, 20)
                    sessions.append(
                        (
                            pk,
                            day,
                            participants,
                            rng.randint(0, 2),
                            rng.randint(0, 3),
                            "",
                            creator,
                            self.at(day),
                        )
                    )
                day += datetime.timedelta(days=7)
        self.copier.copy(
            GroupActivity,
            [
                "id",
                "product",
                "name",
                "team",
                "location",
                "kern",
                "start_date",
                "end_date",
                "is_active",
                "created_by",
            ],
            activities,
        )
        self.copier.copy(
            GroupSession,
            [
                "activity",
                "date",
                "participants",
                "new_participants",
                "volunteers",
                "note",
                "created_by",
                "created_at",
            ],
            sessions,
        )
