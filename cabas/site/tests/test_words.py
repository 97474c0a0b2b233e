"""Words people read (French, the organisations' language): a verb on a button, member-facing
statuses, one typography for colons, agreements, and files named in the organisation's
language."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.core import tables
from cabas.money import selectors as money_selectors
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _page(client, user, name, **kwargs) -> str:
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def _order(world):
    shop = open_shop(organisation=world.org_a)
    return order_services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip


def test_filter_buttons_say_what_they_do(client, world):
    page = _page(client, world.users["coordinator"], "catalog:products", slug="collectif-a")

    assert ">Filtrer</button>" in page
    assert ">Filtre<" not in page


def test_a_member_reads_that_their_order_is_confirmed_not_to_prepare(client, world):
    order = _order(world)

    page = _page(client, world.users["member"], "orders:order", slug="collectif-a", code=order.code)

    assert "Confirmée" in page
    assert "préparer" not in page


def test_no_earlier_order_says_so_without_ambiguity(client, world):
    page = _page(client, world.users["member"], "orders:my_orders", slug="collectif-a")

    assert "Aucune commande précédente." in page
    assert "Aucune commande passée" not in page


def test_the_receipt_writes_its_colon_as_every_other_label(client, world):
    order = _order(world)

    page = _page(
        client, world.users["member"], "money:order_receipt", slug="collectif-a", code=order.code
    )

    assert "Client :" in page
    assert "Client:" not in page


def test_a_paid_membership_agrees_with_membership(client, world):
    page = _page(client, world.users["coordinator"], "money:balances", slug="collectif-a")

    assert "payée" in page or "cotisation à payer" in page
    assert re.search(r">\s*payé\s*<", page) is None


def test_a_transfer_reference_has_one_dash():
    organisation = OrganisationFactory(slug="paniers-tarn")
    membership = MembershipFactory(organisation=organisation)

    reference = money_selectors.transfer_reference(membership)

    assert reference == f"PANIERS-{membership.pk:05d}"


def test_the_member_export_speaks_the_language_of_the_page(client, world):
    """French in a French organisation; English for a coordinator who chose English."""
    url = reverse("money:member_export", kwargs={"slug": "collectif-a", "file_format": "csv"})
    coordinator = world.users["coordinator"]
    client.force_login(coordinator)

    french = client.get(url)
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    english = client.get(url)

    assert french["Content-Disposition"] == 'attachment; filename="collectif-a-membres.csv"'
    assert tables.read_table("m.csv", french.content)[0] == [
        "Prénom", "Nom", "E-mail", "Téléphone", "Adresse",
    ]  # fmt: skip
    assert english["Content-Disposition"] == 'attachment; filename="collectif-a-members.csv"'
    assert tables.read_table("m.csv", english.content)[0] == [
        "First name", "Last name", "E-mail", "Phone", "Address",
    ]  # fmt: skip
