"""Volunteers (screening, trainings, availability), matches and volunteer hours."""

import datetime

from cases.choices import CaseStatus
from catalogue.models import VolunteerMatching, normalise_for_search
from demo.generator.base import (
    CASE_PRODUCTS,
    HOURS_CHOICES,
    HOURS_WEIGHTS,
    LANGUAGES,
)
from demo.population import FIRST_NAMES, KERN_WEIGHTS, LAST_NAMES
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


class VolunteerRows:
    """Rows of the volunteers; a part of the generate_data command (GeneratorBase)."""

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
