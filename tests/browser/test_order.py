"""A member logs in, fills a basket, chooses a slot, confirms, reads the confirmation e-mail,
changes a quantity and cancels — on a phone-sized screen, through the real pages."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales.models import SaleItem
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_change_and_cancel(page, live_server):
    shop = open_shop(slot_capacity=2)
    member = shop.member(email="lea@example.org", first_name="Léa")
    shop_url = f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/"

    log_in(page, member.email, shop_url)  # with the password

    # Fill the basket without reloading the page (htmx): 2 cheeses, 1 bread.
    cheese = page.locator(f"#qty-{shop.products['cheese'].pk}")
    cheese.locator("input[name=quantity]").fill("2")
    cheese.locator("button").click()
    page.locator("#basket-summary").get_by_text("13,00 €").wait_for()
    bread = page.locator(f"#qty-{shop.products['bread'].pk}")
    bread.locator("button").click()
    page.locator("#basket-summary").get_by_text("17,20 €").wait_for()

    # Checkout: choose the point, then the second slot, confirm.
    page.locator("#basket-summary").get_by_role("link", name="Commander").click()
    # Choosing a point swaps its slots in (htmx, bound once the page has loaded): a person
    # taps after the page shows; the test waits for the same.
    page.wait_for_url(re.compile(r"/checkout/$"))
    page.wait_for_load_state("load")
    page.locator(f"input[name=pickup][value='{shop.pickup.pk}']").check()
    second_slot = f"{shop.pickup.pk}-{shop.slots[1].pk}"
    page.locator(f"input[name=place][value='{second_slot}']").check()
    page.get_by_role("button", name="Confirmer ma commande").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    assert "Commande n° 1" in page.locator("h1").inner_text()
    order = Order.objects.get()
    assert (order.slot_id, order.total) == (shop.slots[1].pk, Decimal("17.20"))

    # The confirmation e-mail, with its calendar attachment.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Votre commande n° 1 est confirmée")
    assert mail.outbox[0].attachments[0][0] == "commande-1.ics"

    # Change a quantity: 3 cheeses instead of 2.
    page.get_by_role("button", name="Modifier ma commande").click()
    page.wait_for_url(re.compile(re.escape(shop_url) + "$"))
    # Said once, by the shop's banner (no flash message repeating it above).
    assert page.locator("main").inner_text().count("validez les modifications") == 1
    cheese = page.locator(f"#qty-{shop.products['cheese'].pk}")
    cheese.locator("input[name=quantity]").fill("3")
    cheese.locator("button").click()
    page.locator("#basket-summary").get_by_text("23,70 €").wait_for()
    page.locator("#basket-summary").get_by_role("link", name="Valider les modifications").click()
    page.get_by_role("button", name="Valider les modifications").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    order.refresh_from_db()
    assert order.total == Decimal("23.70")
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 3

    # Cancel.
    page.get_by_text("Annuler ma commande").click()
    page.get_by_role("button", name="Oui, annuler la commande").click()
    page.get_by_text("Votre commande a été annulée.").wait_for()
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 0
    assert [m.subject.split(" — ")[0] for m in mail.outbox] == [
        "Votre commande n° 1 est confirmée",
        "Votre commande n° 1 a été modifiée",
        "Votre commande n° 1 est annulée",
    ]
