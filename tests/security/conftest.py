import pytest

from .world import ANONYMOUS, World, build_world


@pytest.fixture
def world(catalogue, make_user) -> World:
    return build_world(catalogue, make_user)


@pytest.fixture
def as_role(client, login, world):
    def log_in(role):
        if role != ANONYMOUS:
            login(world.users[role])
        return client

    return log_in
