"""A year of realistic demo registrations for the embedded default: clients across the
kernen, cases in every status, hours, contacts, group sessions and walk-in contacts.

Built as plain model rows (no test packages: this runs from the production lock too),
written with bulk inserts so it takes seconds, and only when there is no demo data yet
(idempotent). Figures follow DOMAIN.md: most residents live in Hoofddorp and
Nieuw-Vennep, 17 % are 65+, 14 % give mantelzorg."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from cases.choices import (
    FINAL_STATUSES,
    CaseStatus,
    ContactKind,
    ContactTopic,
    GoalReached,
    HourKind,
    LifeDomain,
    MediationStep,
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
    Contact,
    GroupActivity,
    GroupSession,
    HourRegistration,
    MediationParty,
    MediationStepRecord,
)
from catalogue.eligibility import Person, check_eligibility
from catalogue.models import Area, AreaKind, Location, LocationKind, Product, normalise_for_search
from meerwaarde.accounts.models import Role, Team, User

from .population import FIRST_NAMES, KERN_WEIGHTS, LAST_NAMES, STREETS
from .services import demo_password_hash

TEAM_OF_KERN = {"Hoofddorp": "Team Hoofddorp", "Nieuw-Vennep": "Team Nieuw-Vennep"}
CASE_PRODUCTS = [
    "1-5-gesprekken",
    "5-10-gesprekken",
    "vangnetcontact",
    "thuisadministratie",
    "formulierenbrigade",
    "home-start-en-home-start-plus",
    "buurt-en-groepsbemiddeling",
    "maatjesprojecten",
    "preventieve-huisbezoeken",
    "opvoedondersteuning",
    "matchmentor",
    "trajectbegeleiding",
]
GROUP_PRODUCTS = [
    ("groepsgerichte-activiteiten", "Koffieochtend Toolenburg"),
    ("ouder-en-kind-inloop-oki", "OKI Nieuw-Vennep"),
    ("meerbabbels", "MeerBabbels Badhoevedorp"),
    ("participatiecursussen", "Cursus Wegwijs in Haarlemmermeer"),
    ("themabijeenkomsten", "Themabijeenkomst Langer thuis"),
    ("laagdrempelige-activiteiten", "Samen eten Zwanenburg"),
]
PLUSPUNTEN = [
    ("PlusPunt Hoofddorp Centrum", "Hoofddorp"),
    ("PlusPunt Nieuw-Vennep", "Nieuw-Vennep"),
    ("PlusPunt Badhoevedorp", "Badhoevedorp"),
    ("PlusPunt Zwanenburg", "Zwanenburg"),
]
EXTRA_WORKERS = [
    ("Team Hoofddorp", "Anouk", "Vermeulen"),
    ("Team Hoofddorp", "Mehmet", "Yilmaz"),
    ("Team Nieuw-Vennep", "Sanne", "de Groot"),
    ("Team Nieuw-Vennep", "Kees", "Dekker"),
    ("Team Dorpen", "Lotte", "Hendriks"),
    ("Team Dorpen", "Youssef", "Amrani"),
]
STATUS_MIX = [
    (CaseStatus.REGISTERED, 8),
    (CaseStatus.INTAKE, 10),
    (CaseStatus.ACTIVE, 35),
    (CaseStatus.WAITING_LIST, 10),
    (CaseStatus.REFERRED, 7),
    (CaseStatus.CLOSED, 25),
    (CaseStatus.CANCELLED, 5),
]
PATH_TO = {
    CaseStatus.REGISTERED: [],
    CaseStatus.INTAKE: [CaseStatus.INTAKE],
    CaseStatus.ACTIVE: [CaseStatus.INTAKE, CaseStatus.ACTIVE],
    CaseStatus.WAITING_LIST: [CaseStatus.INTAKE, CaseStatus.WAITING_LIST],
    CaseStatus.REFERRED: [CaseStatus.INTAKE, CaseStatus.REFERRED],
    CaseStatus.CLOSED: [CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.CLOSED],
    CaseStatus.CANCELLED: [CaseStatus.CANCELLED],
}
QUESTIONS = [
    "Loopt achter met betalen van de huur en durft de post niet meer te openen.",
    "Voelt zich eenzaam sinds het overlijden van de partner.",
    "Zorgt voor een zieke moeder en raakt zelf uitgeput.",
    "Ruzie met de bovenburen over geluidsoverlast.",
    "Heeft hulp nodig bij het invullen van formulieren voor toeslagen.",
    "Jong gezin, moeder voelt zich onzeker in de opvoeding.",
    "Wil weer meedoen en zoekt zinvolle dagbesteding.",
    "Spreekt weinig Nederlands en begrijpt brieven van de gemeente niet.",
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def demo_registrations_exist() -> bool:
    return Client.objects.exists()


@transaction.atomic
def load_demo_registrations(
    *, clients: int = 300, seed: int = 394, today: datetime.date | None = None
) -> dict:
    """Creates the demo registrations unless there are clients already. Returns counts."""
    if demo_registrations_exist():
        return {}
    rng = random.Random(seed)
    # Names and addresses from a stream of their own, so they leave the figures as they are.
    names = random.Random(seed + 1)
    today = today or datetime.date.today()
    year_ago = today - datetime.timedelta(days=365)
    teams = {team.name: team for team in Team.objects.all()}
    workers_by_team: dict[str, list[User]] = {name: [] for name in teams}
    for team_name, first, last in EXTRA_WORKERS:
        username = f"{first.lower()}.{last.lower().replace(' ', '')}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": Role.SOCIAL_WORKER,
                "email": f"{username}@meerwaarde.invalid",
                "password": demo_password_hash(),
            },
        )
        if created:
            user.teams.set([teams[team_name]])
        workers_by_team[team_name].append(user)
    for user in User.objects.filter(role=Role.SOCIAL_WORKER).prefetch_related("teams"):
        for team in user.teams.all():
            if user not in workers_by_team[team.name]:
                workers_by_team[team.name].append(user)
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    products = {p.slug: p for p in Product.objects.all()}
    if coordinator:
        for slug in (
            "home-start-en-home-start-plus",
            "buurt-en-groepsbemiddeling",
            "thuisadministratie",
            "matchmentor",
        ):
            products[slug].coordinators.add(coordinator)
    kernen = {a.name: a for a in Area.objects.filter(kind=AreaKind.KERN)}
    wijken: dict[str, list[Area]] = {}
    for wijk in Area.objects.filter(kind=AreaKind.WIJK).select_related("parent"):
        wijken.setdefault(wijk.parent.name, []).append(wijk)
    locations = []
    for name, kern in PLUSPUNTEN:
        location, _ = Location.objects.get_or_create(
            name=name,
            defaults={
                "kind": LocationKind.PLUSPUNT,
                "area": kernen[kern],
                "opening_hours": "ma t/m vr 9.00–12.00",
            },
        )
        locations.append(location)
    creator = next(iter(workers_by_team["Team Hoofddorp"]))

    # Clients
    built_clients = []
    for _ in range(clients):
        kern_name = _weighted(rng, KERN_WEIGHTS.items())
        kern = kernen[kern_name]
        team = teams[TEAM_OF_KERN.get(kern_name, "Team Dorpen")]
        age = _weighted(
            rng, [(rng.randint(23, 64), 55), (rng.randint(65, 92), 30), (rng.randint(10, 22), 15)]
        )
        birth_date = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        pc4 = rng.choice(kern.postcodes) if kern.postcodes else "2130"
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(2))
        postcode = f"{pc4}{letters}"
        client = Client(
            first_name=names.choice(FIRST_NAMES),
            last_name=names.choice(LAST_NAMES),
            street=names.choice(STREETS),
            house_number=names.randint(1, 250),
            team=team,
            created_by=creator,
            birth_date=birth_date,
            postcode=postcode,
            city=kern_name,
            kern=kern,
            wijk=rng.choice(wijken[kern_name]) if kern_name in wijken else None,
            phone=f"06{rng.randint(10000000, 99999999)}",
            gender=rng.choice(["vrouw", "man", "vrouw", ""]),
        )
        client.postcode = postcode
        client.pc4 = postcode[:4]
        client.search_name = normalise_for_search(client.full_name)
        built_clients.append(client)
    Client.objects.bulk_create(built_clients)
    saved_clients = list(Client.objects.select_related("team", "kern").order_by("id"))
    Consent.objects.bulk_create(
        Consent(
            client=c, purpose="registratie", given=True, text_version="2026-1", recorded_by=creator
        )
        for c in saved_clients
    )

    # Cases: each client one case (some two), product fitting the person
    cases, changes = [], []
    for client in saved_clients + rng.sample(saved_clients, k=len(saved_clients) // 3):
        registered_on = year_ago + datetime.timedelta(days=rng.randint(0, 350))
        person = Person(
            birth_date=client.birth_date,
            lives_in_haarlemmermeer=True,
            children_ages=(rng.randint(0, 12),),
        )
        fitting = [
            products[slug]
            for slug in CASE_PRODUCTS
            if check_eligibility(products[slug], person, reference_date=registered_on).fits
        ]
        if not fitting:
            continue
        product = rng.choice(fitting)
        status = _weighted(rng, STATUS_MIX)
        worker = rng.choice(workers_by_team[client.team.name] or [creator])
        is_caregiver = rng.random() < 0.14 * 2  # mantelzorgers are over-represented among clients
        case = Case(
            client=client,
            product=product,
            team=client.team,
            responsible_worker=worker,
            status=status,
            referral_source=rng.choice(ReferralSource.values),
            question=rng.choice(QUESTIONS),
            life_domains=rng.sample(LifeDomain.values, k=rng.randint(1, 3)),
            is_caregiver=is_caregiver,
            caregiver_overburdened=is_caregiver and rng.random() < 0.3,
            confirmed_criteria=list(product.judgement_criteria),
            registered_on=registered_on,
            created_by=worker,
        )
        if status == CaseStatus.WAITING_LIST:
            case.waiting_since = min(
                today, registered_on + datetime.timedelta(days=rng.randint(3, 20))
            )
        if status in FINAL_STATUSES:
            case.closed_on = min(
                today, registered_on + datetime.timedelta(days=rng.randint(20, 200))
            )
        cases.append(case)
    Case.objects.bulk_create(cases)
    cases = list(
        Case.objects.select_related("client", "product", "responsible_worker").order_by("id")
    )
    for case in cases:
        previous = ""
        path = [CaseStatus.REGISTERED, *PATH_TO[case.status]]
        for index, step in enumerate(path):
            change = CaseStatusChange(
                case=case, from_status=previous, to_status=step, changed_by=case.responsible_worker
            )
            change.step_index, change.step_count = index, len(path)
            changes.append(change)
            previous = step
    CaseStatusChange.objects.bulk_create(changes)
    # Spread the status history over the case's life instead of "today".
    for change in changes:
        case = change.case
        end = (
            case.closed_on or case.waiting_since or case.registered_on + datetime.timedelta(days=30)
        )
        span = max(0, (min(end, today) - case.registered_on).days)
        offset = span * change.step_index // max(1, change.step_count - 1)
        day = case.registered_on + datetime.timedelta(days=offset)
        change.changed_at = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)
    CaseStatusChange.objects.bulk_update(changes, ["changed_at"], batch_size=1000)

    # Hours, contacts, outcomes
    hours, contacts, outcomes = [], [], []
    for case in cases:
        end = case.closed_on or today
        worked_days = max(1, (end - case.registered_on).days)
        if case.status in (CaseStatus.REGISTERED, CaseStatus.CANCELLED):
            sessions = rng.randint(0, 1)
        else:
            sessions = rng.randint(2, 10)
        for _ in range(sessions):
            day = case.registered_on + datetime.timedelta(days=rng.randint(0, worked_days))
            day = min(day, today)
            hours.append(
                HourRegistration(
                    worker=case.responsible_worker,
                    date=day,
                    hours=Decimal(rng.choice(["0.50", "0.75", "1.00", "1.50", "2.00"])),
                    product=case.product,
                    case=case,
                    kind=HourKind.DIRECT,
                    kern=case.client.kern,
                    pc4=case.client.pc4,
                    created_by=case.responsible_worker,
                )
            )
            contacts.append(
                Contact(
                    case=case,
                    date=day,
                    kind=rng.choice(
                        [ContactKind.CONVERSATION, ContactKind.HOME_VISIT, ContactKind.PHONE]
                    ),
                    summary=rng.choice(
                        [
                            "Gesprek over de hulpvraag en de volgende stappen.",
                            "Samen de post doorgenomen.",
                            "Netwerk in kaart gebracht.",
                            "Telefonisch contact: afspraak verzet.",
                        ]
                    ),
                    created_by=case.responsible_worker,
                )
            )
        if case.status == CaseStatus.CLOSED:
            outcomes.append(
                CaseOutcome(
                    case=case,
                    goal_reached=_weighted(
                        rng, [(GoalReached.YES, 60), (GoalReached.PARTLY, 30), (GoalReached.NO, 10)]
                    ),
                    can_continue_independently=rng.random() < 0.7,
                    referred_to=rng.choice(["", "", "", Partner.DEBT_COUNSELLING, Partner.GGZ]),
                    recorded_by=case.responsible_worker,
                )
            )
    # Coordination and training hours per worker, spread over the year
    for team_workers in workers_by_team.values():
        for worker in team_workers:
            for week in range(52):
                day = year_ago + datetime.timedelta(days=week * 7 + rng.randint(0, 4))
                if day > today:
                    continue
                hours.append(
                    HourRegistration(
                        worker=worker,
                        date=day,
                        hours=Decimal(rng.choice(["1.00", "2.00", "3.00"])),
                        product=products[
                            rng.choice(
                                ["aanpak-de-wijk-in", "sociaal-makelaar", "spreekuur-in-de-wijk"]
                            )
                        ],
                        kind=rng.choice(
                            [HourKind.COORDINATION, HourKind.TRAINING, HourKind.TRAVEL]
                        ),
                        created_by=worker,
                    )
                )
    HourRegistration.objects.bulk_create(hours, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)
    CaseOutcome.objects.bulk_create(outcomes)

    # Buurtbemiddeling: parties and the seed's steps for its cases
    parties, steps = [], []
    step_order = list(MediationStep)
    for case in (c for c in cases if c.product.slug == "buurt-en-groepsbemiddeling"):
        parties.append(
            MediationParty(
                case=case, number=1, name=case.client.full_name, address=case.client.address_line
            )
        )
        parties.append(
            MediationParty(
                case=case, number=2, name=f"Bewoner {case.client.street} {rng.randint(1, 99)}"
            )
        )
        reached = {CaseStatus.ACTIVE: 5, CaseStatus.CLOSED: 7}.get(case.status, 2)
        for index, step in enumerate(step_order[:reached]):
            day = min(today, case.registered_on + datetime.timedelta(days=index * 7))
            steps.append(
                MediationStepRecord(
                    case=case,
                    step=step,
                    date=day,
                    note="Verslag bemiddelaars.",
                    recorded_by=case.responsible_worker,
                )
            )
    MediationParty.objects.bulk_create(parties)
    MediationStepRecord.objects.bulk_create(steps)

    # Group activities with weekly sessions, and walk-in contacts at the PlusPunten
    sessions = []
    for slug, name in GROUP_PRODUCTS:
        team = teams["Team Nieuw-Vennep" if "Vennep" in name else "Team Hoofddorp"]
        activity = GroupActivity.objects.create(
            product=products[slug],
            name=name,
            team=team,
            location=rng.choice(locations),
            kern=kernen["Nieuw-Vennep" if "Vennep" in name else "Hoofddorp"],
            start_date=year_ago,
            created_by=workers_by_team[team.name][0],
        )
        for week in range(0, 52, 1 if slug != "themabijeenkomsten" else 6):
            day = year_ago + datetime.timedelta(days=week * 7 + 2)
            if day > today:
                break
            participants = rng.randint(6, 18)
            sessions.append(
                GroupSession(
                    activity=activity,
                    date=day,
                    participants=participants,
                    new_participants=rng.randint(0, 2),
                    volunteers=rng.randint(1, 3),
                    created_by=activity.created_by,
                )
            )
    GroupSession.objects.bulk_create(sessions)
    walk_ins = [
        AnonymousContact(
            date=year_ago + datetime.timedelta(days=rng.randint(0, 364)),
            location=rng.choice(locations),
            product=products["spreekuur-in-de-wijk"],
            topic=rng.choice(ContactTopic.values),
            referred_on=(referred := rng.random() < 0.2),
            referred_to=rng.choice(Partner.values) if referred else "",
            registered_by=creator,
        )
        for _ in range(1500)
    ]
    AnonymousContact.objects.bulk_create(walk_ins, batch_size=2000)
    return {
        "clients": len(saved_clients),
        "cases": len(cases),
        "hours": len(hours),
        "sessions": len(sessions),
        "walk_ins": len(walk_ins),
    }
