"""One members area: one menu entry, one list (requests, roles, balance, membership), and the
former members page sends there."""

import pytest
from django.urls import reverse
from django.utils import translation

from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _nav_labels(response) -> list[str]:
    return [str(item["label"]) for item in response.context["nav_items"]]


def test_the_menu_has_one_members_entry(client, world):
    client.force_login(world.users["coordinator"])
    home = reverse("site:member_home", kwargs={"slug": world.org_a.slug})

    response = client.get(home)  # in French, the organisation's language

    labels = _nav_labels(response)
    assert labels.count("Membres") == 1
    assert "Comptes des membres" not in labels
    assert "Invitations" not in labels
    members = [item["url"] for item in response.context["nav_items"] if item["label"] == "Membres"]
    assert members == [reverse("money:member_list", kwargs={"slug": world.org_a.slug})]
    assert "Comptes des membres" not in response.content.decode()


def test_the_members_entry_stays_current_on_its_sub_pages(client, world):
    client.force_login(world.users["coordinator"])
    roles = reverse(
        "money:member_roles",
        kwargs={"slug": world.org_a.slug, "pk": world.memberships["member"].pk},
    )

    items = client.get(roles).context["nav_items"]

    current = [item["url"] for item in items if item["current"]]
    assert current == [reverse("money:member_list", kwargs={"slug": world.org_a.slug})]


def test_the_list_shows_requests_roles_balance_and_links(client, world):
    MembershipFactory(organisation=world.org_a, is_producer=True, producer=world.producer)
    client.force_login(world.users["coordinator"])
    slug = world.org_a.slug

    response = client.get(reverse("money:member_list", kwargs={"slug": slug}))

    body = response.content.decode()
    decide = reverse("orgs:member_decide", kwargs={"slug": slug, "pk": world.pending.pk})
    assert f'action="{decide}"' in body
    assert world.producer.name in body  # the producer role, with its producer
    with translation.override("fr"):
        coordinator_label = str(Membership.Role.COORDINATOR.label)
    assert coordinator_label in body
    assert reverse("orgs:invitations", kwargs={"slug": slug}) in body
    assert reverse("money:member_import", kwargs={"slug": slug}) in body
    assert reverse("money:member_invite_bulk", kwargs={"slug": slug}) in body
    member = world.memberships["member"]
    assert reverse("money:member_roles", kwargs={"slug": slug, "pk": member.pk}) in body
    assert reverse("money:member_account", kwargs={"slug": slug, "user_id": member.user_id}) in body


def test_the_former_members_page_sends_to_the_list_with_its_filter(client, world):
    client.force_login(world.users["coordinator"])
    old = reverse("orgs:members", kwargs={"slug": world.org_a.slug})

    response = client.get(old, {"q": "durand", "status": "active"})

    assert response.status_code == 302
    new = reverse("money:member_list", kwargs={"slug": world.org_a.slug})
    assert response.url == f"{new}?q=durand&status=active"
