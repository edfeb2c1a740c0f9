"""Fixtures shared by the volunteer tests: the two volunteer products, their coordinators, a
Home-Start volunteer and the kern Hoofddorp."""

import pytest

from catalogue.models import Area
from meerwaarde.accounts.models import Role
from tests.volunteers_factories import VolunteerFactory


@pytest.fixture
def home_start(catalogue):
    return catalogue["home-start-en-home-start-plus"]


@pytest.fixture
def mediation(catalogue):
    return catalogue["buurt-en-groepsbemiddeling"]


@pytest.fixture
def coordinator(make_user, home_start):
    user = make_user(role=Role.COORDINATOR)
    home_start.coordinators.add(user)
    return user


@pytest.fixture
def mediation_coordinator(make_user, mediation):
    user = make_user(role=Role.COORDINATOR)
    mediation.coordinators.add(user)
    return user


@pytest.fixture
def volunteer(home_start):
    return VolunteerFactory(products=[home_start])


@pytest.fixture
def hoofddorp(catalogue):
    return Area.objects.get(kind="kern", name="Hoofddorp")
