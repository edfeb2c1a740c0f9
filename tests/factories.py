"""Factories of the base layer (users, teams, authenticators) for the tests."""

import functools

import factory
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from meerwaarde.accounts.models import Role, Team, User

# Password of factory-made users; never a real account.
TEST_PASSWORD = "Correct-Horse-Battery-42"  # noqa: S105


@functools.cache
def hashed_test_password() -> str:
    """The password hash of every factory-made user, computed once: hashing is deliberately
    slow (PBKDF2), and hundreds of test users need no salt of their own."""
    return make_password(TEST_PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@meerwaarde.invalid")
    role = Role.SOCIAL_WORKER
    password = factory.LazyFunction(hashed_test_password)

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)
        if create:
            self.save()


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator-app"
    confirmed = True
