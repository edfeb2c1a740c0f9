"""Demo accounts and data for the embedded default (`make run`). Idempotent."""

import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from meerwaarde.accounts.models import Role, Team, User

# Shown on screen by `make run`; these accounts exist only where DEMO_MODE is on.
DEMO_PASSWORD = "MeerWaarde-demo-2026"  # noqa: S105


@functools.cache
def demo_password_hash() -> str:
    """The hash of the demo password for the demo's extra colleagues, computed once (hashing
    is deliberately slow)."""
    return make_password(DEMO_PASSWORD)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    teams: tuple[str, ...]


DEMO_TEAMS = ("Team Hoofddorp", "Team Nieuw-Vennep", "Team Dorpen")

DEMO_ACCOUNTS = (
    DemoAccount("sociaalwerker", "Fatima", "El Amrani", Role.SOCIAL_WORKER, ("Team Hoofddorp",)),
    DemoAccount("coordinator", "Joost", "de Vries", Role.COORDINATOR, ("Team Hoofddorp",)),
    DemoAccount("manager", "Ingrid", "Bakker", Role.MANAGER, ()),
    DemoAccount("beheerder", "Ruud", "Jansen", Role.FUNCTIONAL_ADMIN, ()),
)


@transaction.atomic
def load_demo_accounts() -> list[DemoAccount]:
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in DEMO_TEAMS}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "role": account.role,
                "email": f"{account.username}@meerwaarde.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.teams.set([teams[name] for name in account.teams])
    return list(DEMO_ACCOUNTS)
