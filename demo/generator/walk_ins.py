"""Walk-in contacts at the PlusPunten and group activities with their sessions."""

import datetime

from cases.choices import ContactTopic, Partner
from cases.models import (
    AnonymousContact,
    GroupActivity,
    GroupSession,
)
from demo.generator.base import (
    GROUP_PRODUCTS,
    MONTH_WEIGHTS,
    OTHER_TEAM,
)
from demo.population import KERN_WEIGHTS


class WalkInAndGroupRows:
    """Rows of walk-in and group work; a part of the generate_data command (GeneratorBase)."""

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
