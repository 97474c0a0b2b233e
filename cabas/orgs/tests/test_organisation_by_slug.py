"""The one reader of an organisation by its slug: one statement whatever it is asked to join,
what it joined cached (nothing more asked of the database), an inactive organisation or an
unknown slug not found."""

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.orgs.models import Membership
from cabas.orgs.selectors import organisation_by_slug
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.models import SalesSettings
from cabas.work.models import WorkSettings

pytestmark = pytest.mark.django_db


def test_the_organisation_with_its_settings_and_a_membership_in_one_statement(
    django_assert_num_queries,
):
    membership = MembershipFactory(organisation=OrganisationFactory(slug="paniers"))
    organisation = membership.organisation
    WorkSettings.objects.filter(organisation=organisation).delete()
    WorkSettings.objects.create(organisation=organisation, withdraw_hours_before=36)
    SalesSettings.objects.filter(organisation=organisation).delete()
    MembershipFactory(user=membership.user)  # another active membership of the same person
    MembershipFactory(organisation=organisation)  # someone else's

    with django_assert_num_queries(1):
        read = organisation_by_slug(
            slug="paniers",
            settings=(WorkSettings, SalesSettings),
            membership=True,
            user_id=membership.user_id,
        )
    with django_assert_num_queries(0):
        assert read.organisation.pk == organisation.pk
        assert read.organisation.work_settings.withdraw_hours_before == 36
        assert not hasattr(read.organisation, "sales_settings")  # none: cached as none
        assert read.membership.pk == membership.pk
        assert read.membership.organisation is read.organisation
        assert read.membership.producer is None
        assert read.active_memberships == 2


def test_an_anonymous_visitor_has_no_membership_and_the_bare_read_joins_nothing(
    django_assert_num_queries,
):
    organisation = OrganisationFactory(slug="paniers")

    with django_assert_num_queries(1):
        visitor = organisation_by_slug(slug="paniers", membership=True, user_id=None)
    assert (visitor.organisation.pk, visitor.membership, visitor.active_memberships) == (
        organisation.pk, None, 0,
    )  # fmt: skip
    stranger = organisation_by_slug(slug="paniers", membership=True, user_id=UserFactory().pk)
    assert stranger.membership is None
    bare = organisation_by_slug(slug="paniers")
    assert (bare.organisation.pk, bare.membership, bare.active_memberships) == (
        organisation.pk, None, None,
    )  # fmt: skip


def test_an_inactive_organisation_or_an_unknown_slug_is_not_found():
    left = MembershipFactory(
        organisation=OrganisationFactory(slug="fermee", is_active=False),
        status=Membership.Status.LEFT,
    )

    assert organisation_by_slug(slug="fermee", membership=True, user_id=left.user_id) is None
    assert organisation_by_slug(slug="inconnue", settings=(WorkSettings,)) is None
