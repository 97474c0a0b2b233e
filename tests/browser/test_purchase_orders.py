"""The supply team orders on a phone (390 px): the menu leads to the suggested orders, a
supplier is chosen, the suggested quantities become a draft, which is sent by e-mail; nothing
is wider than the screen and what is tapped is at least 44 px tall."""

from decimal import Decimal

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.orgs.tests.factories import MembershipFactory
from cabas.supply.models import PurchaseOrder
from cabas.supply.tests.factories import ShopProductFactory, SupplierFactory, SupplierItemFactory
from tests.browser.test_phone_pages import _log_in
from tests.browser.test_stock import _SHORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, label):
    # Measured once the page's stylesheets have loaded (the 44 px come from them).
    page.wait_for_load_state("load")
    assert page.evaluate(_SHORT) == [], label
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, label


def test_supply_member_turns_a_suggestion_into_a_sent_order(page, world):
    org = world.org_a
    org.kind = "cooperative"
    org.save(update_fields=["kind"])
    supplier = SupplierFactory(
        organisation=org, name="Grossiste Bio", order_email="bc@bio.example.org"
    )
    SupplierItemFactory(
        supplier=supplier,
        package_size=Decimal("6"),
        purchase_price=Decimal("0.6958"),
        product=ShopProductFactory(
            organisation=org, producer=world.producer, name="Farine T65",
            stock_quantity=Decimal("1"), stock_minimum=Decimal("4"),
        ),
    )  # fmt: skip
    supply = UserFactory(email="appro-a@example.org")
    MembershipFactory(organisation=org, user=supply, is_supply=True)
    _log_in(page, supply.email)
    page.goto(f"/o/{org.slug}/home/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Commandes fournisseur", exact=True).click()
    page.get_by_role("heading", name="Commandes fournisseur").wait_for()
    _fits(page, "list")
    page.get_by_role("link", name="Commandes suggérées").click()
    page.get_by_role("heading", name="Commandes suggérées").wait_for()
    page.get_by_label("Fournisseur", exact=True).select_option(label="Grossiste Bio")
    page.get_by_role("button", name="Afficher").click()
    quantity = page.get_by_label("Quantité de Farine T65")
    quantity.wait_for()
    # Below its minimum of 4 with 1 in stock: 3, by cartons of 6 → 6.
    assert quantity.input_value() == "6"
    _fits(page, "suggestions")
    quantity.fill("12")
    page.get_by_role("button", name="Créer la commande fournisseur").click()
    page.get_by_text("Commande fournisseur BC-0001 créée").wait_for()
    _fits(page, "draft")
    page.get_by_role("button", name="Envoyer par e-mail à bc@bio.example.org").click()
    page.get_by_text("La commande est envoyée à bc@bio.example.org.").wait_for()
    _fits(page, "sent")

    order = PurchaseOrder.objects.get()
    assert (order.status, list(order.lines.values_list("quantity", flat=True))) == (
        "sent",
        [Decimal("12")],
    )
    assert OutboxMessage.objects.filter(key=f"purchase-order:{order.pk}:sent").count() == 1
