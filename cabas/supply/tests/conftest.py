"""The supply tests' shared fixtures: a client logged in as the supply-team member of the
world's organisation A."""

import pytest


@pytest.fixture
def supply(client, world):
    client.force_login(world.users["supply"])
    return client
