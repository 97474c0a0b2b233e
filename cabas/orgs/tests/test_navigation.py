"""The menu: grouped by what people do, only what the person may open, a member's own things."""

import pytest
from django.urls import reverse

from cabas.orgs.navigation import NAV_GROUPS
from cabas.orgs.permissions import can

pytestmark = pytest.mark.django_db


def _menu(client, user, slug="collectif-a") -> dict[str, list[str]]:
    client.force_login(user)
    response = client.get(reverse("site:member_home", kwargs={"slug": slug}))
    return {
        str(group["label"]): [str(item["label"]) for item in group["items"]]
        for group in response.context["nav_groups"]
    }


def test_a_member_sees_only_their_own_things(client, world):
    assert _menu(client, world.users["member"]) == {
        "Mon espace": [
            "Accueil",
            "Boutique",
            "Mes commandes",
            "Permanences",
            "Mon compte",
            "Messages",
        ]
    }


def test_a_producer_sees_their_products_and_sales(client, world):
    menu = _menu(client, world.users["producer"])

    assert menu["Vendre"] == ["Mes produits", "Mes ventes", "Mes chiffres", "Connexions DFC"]
    assert set(menu) == {"Mon espace", "Vendre"}


def test_a_volunteer_sees_the_distribution(client, world):
    menu = _menu(client, world.users["volunteer"])

    assert menu == {
        "Mon espace": [
            "Accueil",
            "Boutique",
            "Mes commandes",
            "Permanences",
            "Mon compte",
            "Messages",
        ],
        "Distribuer": ["Distribution"],
    }


def test_a_coordinator_sees_every_group_with_one_pickup_points_entry(client, world):
    menu = _menu(client, world.users["coordinator"])

    assert list(menu) == ["Mon espace", "Vendre", "Distribuer", "Membres", "Argent", "Réglages"]
    assert menu["Vendre"] == [
        "Catalogue",
        "Ventes",
        "Plannings",
        "Activité",
    ]  # no drive: not a cooperative
    entries = [label for labels in menu.values() for label in labels]
    assert entries.count("Points de retrait") == 1
    assert "Gérer les points de retrait" not in entries


def test_every_entry_opens_for_whom_it_is_shown(client, world):
    """The menu follows the pages' own permissions: every entry shown answers 200."""
    for role in ("member", "producer", "volunteer", "coordinator"):
        client.force_login(world.users[role])
        response = client.get(reverse("site:member_home", kwargs={"slug": "collectif-a"}))
        for item in response.context["nav_items"]:
            page = client.get(item["url"], follow=True)
            assert page.status_code == 200, (role, item["url"])


def test_an_entry_is_hidden_exactly_when_the_permission_refuses(world):
    user = world.users["volunteer"]
    urls = [item.url_name for group in NAV_GROUPS for item in group.items]
    from django.urls import resolve

    refused = {
        name
        for name in urls
        if not can(
            user,
            resolve(reverse(name, kwargs={"slug": "collectif-a"})).func.cabas_action,
            world.org_a,
        )
    }
    assert "money:member_list" in refused
    assert "distribution:checkin_home" not in refused


def test_the_menu_button_and_groups_are_in_the_page(client, world):
    client.force_login(world.users["coordinator"])
    page = client.get(reverse("site:member_home", kwargs={"slug": "collectif-a"})).content.decode()

    assert 'aria-controls="main-menu"' in page
    assert 'aria-expanded="false"' in page
    assert '<p class="menu-heading" id="menu-sell">Vendre</p>' in page


def test_the_menu_is_built_once_per_process_and_follows_a_changed_role(client, world):
    """The menu is shared between requests (built once for the same organisation, roles and
    page), and a person given a role reads the new menu on their next page."""
    from cabas.orgs import navigation

    navigation._MENUS.clear()
    member = world.users["member"]
    first = _menu(client, member)
    built = len(navigation._MENUS)

    assert _menu(client, member) == first
    assert len(navigation._MENUS) == built == 1

    membership = world.org_a.memberships.get(user=member)
    membership.is_volunteer = True
    membership.save(update_fields=["is_volunteer"])

    assert _menu(client, member)["Distribuer"] == ["Distribution"]
    assert len(navigation._MENUS) == 2
