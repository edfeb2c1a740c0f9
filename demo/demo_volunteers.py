"""Demo volunteers with realistic screening states, availability and matches in every
status, on the demo cases of products that work with volunteers. Idempotent."""

import datetime
import random

from django.db import transaction

from cases.choices import CaseStatus
from cases.models import Case
from catalogue.models import Area, AreaKind, Product, VolunteerMatching
from meerwaarde.accounts.models import Role, User
from volunteers.models import (
    Availability,
    DayPart,
    Match,
    MatchRole,
    MatchStatus,
    TrainingType,
    Volunteer,
    VolunteerStatus,
    VolunteerTraining,
)

from .population import FIRST_NAMES, LAST_NAMES

ROLE_OF_PRODUCT = {
    "home-start-en-home-start-plus": MatchRole.HOME_START,
    "buurt-en-groepsbemiddeling": MatchRole.MEDIATOR,
    "matchmentor": MatchRole.MENTOR,
    "maatjesprojecten": MatchRole.BUDDY,
}
TRAINING_OF_PRODUCT = {
    "home-start-en-home-start-plus": "Home-Start training",
    "buurt-en-groepsbemiddeling": "Bemiddelaarstraining",
    "matchmentor": "MatchMentor training (4 delen)",
}
LANGUAGES = [
    ["Nederlands"],
    ["Nederlands", "Engels"],
    ["Nederlands", "Arabisch"],
    ["Nederlands", "Turks"],
    ["Nederlands", "Pools"],
    ["Nederlands", "Tigrinya"],
]


@transaction.atomic
def load_demo_volunteers(
    *, count: int = 80, seed: int = 1501, today: datetime.date | None = None
) -> dict:
    if Volunteer.objects.exists():
        return {}
    rng = random.Random(seed)
    # Names from a stream of their own, so they leave the rest as it is.
    names = random.Random(seed + 1)
    today = today or datetime.date.today()
    creator = User.objects.filter(role=Role.COORDINATOR).first() or User.objects.first()
    products = list(Product.objects.exclude(volunteer_matching=VolunteerMatching.NONE))
    kernen = list(Area.objects.filter(kind=AreaKind.KERN).exclude(postcodes=[]))
    trainings = {t.name: t for t in TrainingType.objects.all()}
    volunteers = []
    for index in range(count):
        product = products[index % len(products)]
        kern = rng.choice(kernen[:6])
        status = rng.choices(
            [
                VolunteerStatus.ACTIVE,
                VolunteerStatus.ASPIRANT,
                VolunteerStatus.PAUSED,
                VolunteerStatus.STOPPED,
            ],
            weights=[75, 10, 10, 5],
        )[0]
        vog_state = rng.random()
        vog_date = (
            None
            if vog_state < 0.08
            else today
            - datetime.timedelta(
                days=rng.randint(1200, 1400) if vog_state < 0.15 else rng.randint(30, 900)
            )
        )
        volunteer = Volunteer.objects.create(
            first_name=names.choice(FIRST_NAMES),
            last_name=names.choice(LAST_NAMES),
            status=status,
            kern=kern,
            vog_date=vog_date,
            created_by=creator,
            max_matches=rng.choice([1, 1, 2, 3]),
            languages=rng.choice(LANGUAGES),
            skills=rng.choice(
                [
                    "Goed met cijfers",
                    "Geduldig, luistert goed",
                    "Ervaren ouder",
                    "Handig met formulieren",
                ]
            ),
            wishes=rng.choice(
                [
                    "Wil iets betekenen in de buurt",
                    "Houdt van contact met jonge gezinnen",
                    "Wordt blij van een goed gesprek",
                ]
            ),
            postcode=f"{rng.choice(kern.postcodes)}AB",
        )
        volunteer.products.set([product])
        volunteer.kernen_served.set([kern, *rng.sample(kernen[:6], k=2)])
        Availability.objects.bulk_create(
            Availability(volunteer=volunteer, weekday=day, day_part=part)
            for day, part in {(rng.randint(0, 4), rng.choice(DayPart.values)) for _ in range(4)}
        )
        training_name = TRAINING_OF_PRODUCT.get(product.slug)
        if training_name and rng.random() < 0.85:
            VolunteerTraining.objects.create(
                volunteer=volunteer,
                training=trainings[training_name],
                completed_on=today - datetime.timedelta(days=rng.randint(20, 700)),
            )
        volunteers.append(volunteer)
    # Matches in every status on cases of the volunteers' products.
    matches = 0
    statuses = list(MatchStatus)
    for volunteer in volunteers:
        if volunteer.status != VolunteerStatus.ACTIVE:
            continue
        product = volunteer.products.first()
        case = (
            Case.objects.filter(
                product=product, status__in=[CaseStatus.ACTIVE, CaseStatus.WAITING_LIST]
            )
            .exclude(matches__volunteer=volunteer)
            .order_by("?")
            .first()
        )
        if case is None:
            continue
        status = statuses[matches % len(statuses)]
        proposed = max(case.registered_on, today - datetime.timedelta(days=rng.randint(10, 200)))
        Match.objects.create(
            volunteer=volunteer,
            case=case,
            role=ROLE_OF_PRODUCT.get(product.slug, MatchRole.VOLUNTEER),
            status=status,
            proposed_on=proposed,
            # Never a date after today: the registration date window (meerwaarde/dates.py).
            introduced_on=min(today, proposed + datetime.timedelta(days=7))
            if status != MatchStatus.PROPOSED
            else None,
            started_on=min(today, proposed + datetime.timedelta(days=14))
            if status in (MatchStatus.ACTIVE, MatchStatus.COMPLETED)
            else None,
            ended_on=min(today, proposed + datetime.timedelta(days=90))
            if status in (MatchStatus.COMPLETED, MatchStatus.BROKEN_OFF)
            else None,
            end_reason="Klik was er niet" if status == MatchStatus.BROKEN_OFF else "",
            created_by=creator,
        )
        matches += 1
    return {"volunteers": len(volunteers), "matches": matches}
