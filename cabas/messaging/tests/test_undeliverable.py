"""The coordinators' list of members whose address the e-mail provider reported as
undeliverable, and "try again"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.deliverability import address_undeliverable_mark
from cabas.notifications.models import UndeliverableAddress
from cabas.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("messaging:undeliverable", kwargs={"slug": "collectif-a"})


def test_the_list_shows_the_organisations_members_with_reason_and_date(client, world):
    world.users["member"].email = "Member-A@Example.org"  # the list is case-blind
    world.users["member"].save(update_fields=["email"])
    address_undeliverable_mark(
        email="member-a@example.org", reason="bounced", detail="550 user unknown"
    )
    address_undeliverable_mark(email="coordinator-b@example.org", reason="complained")
    address_undeliverable_mark(email="nobody@example.org", reason="rejected")
    client.force_login(world.users["coordinator"])

    response = client.get(URL)

    page = response.content.decode()
    assert [m.user.email for m in response.context["members"]] == ["Member-A@Example.org"]
    assert "Member-A@Example.org" in page
    assert "550 user unknown" in page
    assert "depuis le 2 décembre 2026" in page
    # Another organisation's people are never shown, nor addresses of no member.
    assert "coordinator-b@example.org" not in page
    assert "nobody@example.org" not in page


def test_the_list_is_empty_when_every_address_works(client, world):
    client.force_login(world.users["coordinator"])

    page = client.get(URL).content.decode()

    assert "Le fournisseur n’a signalé aucune adresse de membre qui ne fonctionne pas." in page


def test_try_again_writes_to_the_address_again(client, world):
    address_undeliverable_mark(email="member-a@example.org", reason="bounced")
    client.force_login(world.users["coordinator"])

    response = client.post(URL, {"membership": world.memberships["member"].pk}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Les e-mails seront de nouveau envoyés à member-a@example.org." in (
        response.content.decode()
    )
    assert not UndeliverableAddress.objects.exists()


@pytest.mark.parametrize("posted", ["outsider", "not-a-number", "unlisted"])
def test_try_again_refuses_anyone_outside_the_list_and_changes_nothing(client, world, posted):
    """A coordinator of A cannot clear the address of B's coordinator (nor a made-up one)."""
    address_undeliverable_mark(email="coordinator-b@example.org", reason="bounced")
    membership = {
        "outsider": world.memberships["outsider"].pk,
        "not-a-number": "x",
        "unlisted": world.memberships["volunteer"].pk,
    }[posted]
    client.force_login(world.users["coordinator"])

    response = client.post(URL, {"membership": membership}, follow=True)

    assert response.status_code == 200
    assert "Cette adresse n’est plus dans la liste." in response.content.decode()
    assert list(UndeliverableAddress.objects.values_list("email", flat=True)) == [
        "coordinator-b@example.org"
    ]


def _members_with_bounces(organisation, count):
    for _ in range(count):
        user = UserFactory()
        MembershipFactory(organisation=organisation, user=user)
        address_undeliverable_mark(email=user.email, reason="bounced")


def test_the_list_takes_as_many_queries_for_many_addresses_as_for_one(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["coordinator"])
    _members_with_bounces(world.org_a, 1)
    client.get(URL)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    _members_with_bounces(world.org_a, 9)

    with django_assert_max_num_queries(len(one)):
        response = client.get(URL)

    assert len(response.context["members"]) == 10
