"""Factories for volunteers and matches (tests only; the demo data builds its own rows)."""

import datetime

import factory

from tests.cases_factories import CaseFactory
from tests.factories import UserFactory
from volunteers.models import Match, MatchRole, TrainingType, Volunteer, VolunteerStatus


class TrainingTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingType
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Training {n}")


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    status = VolunteerStatus.ACTIVE
    max_matches = 1
    vog_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=200))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    volunteer = factory.SubFactory(VolunteerFactory)
    case = factory.SubFactory(CaseFactory)
    role = MatchRole.VOLUNTEER
    proposed_on = factory.LazyFunction(datetime.date.today)
    created_by = factory.SubFactory(UserFactory)
