"""The shift tests' shared fixtures: a cooperative with its shift rules and a coordinator
logged in. Modules about another kind of organisation define their own ``org``."""

import pytest

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work.models import WorkSettings


@pytest.fixture
def org():
    organisation = OrganisationFactory(kind="cooperative", slug="epicerie")
    WorkSettings.objects.create(organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(org, client):
    membership = MembershipFactory(organisation=org, is_coordinator=True)
    client.force_login(membership.user)
    return membership
