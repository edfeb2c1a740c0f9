"""Factories for clients and cases (tests only; the demo data builds its own rows)."""

import datetime

import factory

from cases.choices import CaseStatus, ReferralSource
from cases.models import Case, Client
from catalogue.models import Product
from tests.factories import TeamFactory, UserFactory


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    street = factory.Faker("street_name", locale="nl_NL")
    # Never one of the small numbers tests type into the intake (e.g. 2132 AB 12): a random
    # factory client at that address would be reported as a possible duplicate.
    house_number = factory.Faker("random_int", min=100, max=999)
    postcode = factory.Sequence(lambda n: f"2132{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}")
    city = "Hoofddorp"
    team = factory.SubFactory(TeamFactory)
    created_by = factory.SubFactory(UserFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    client = factory.SubFactory(ClientFactory)
    product = factory.LazyFunction(lambda: Product.objects.get(slug="1-5-gesprekken"))
    team = factory.SelfAttribute("client.team")
    responsible_worker = factory.SubFactory(UserFactory)
    status = CaseStatus.INTAKE
    referral_source = ReferralSource.OWN_INITIATIVE
    question = "Wil grip krijgen op de post en de rekeningen."
    registered_on = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=10)
    )
    created_by = factory.SelfAttribute("responsible_worker")
