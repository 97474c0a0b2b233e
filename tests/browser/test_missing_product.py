"""A whole product missing, on a phone (390×844, French): the first tap only asks to confirm
(a page, plain forms), naming the product and how many orders it touches; « Annuler » changes
nothing; the confirmed tap removes it and says so once."""

import re
from decimal import Decimal

import pytest

from cabas.orders import services as order_services
from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_a_coordinator_confirms_before_a_product_is_removed_from_every_order(page):
    shop = open_shop()
    for _ in range(2):
        order_services.order_place(
            user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
            slot_id=shop.slots[0].pk, lines=[(shop.products["cheese"].pk, D(1))],
        )  # fmt: skip
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member(email="benevole@example.org")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    log_in(page, volunteer.email)
    cheese = OrderLine.objects.filter(product=shop.products["cheese"])

    page.goto(f"/o/{shop.organisation.slug}/checkin/sales/{shop.sale.pk}/missing/")
    row = page.locator("tr", has_text="Tomme")
    row.get_by_role("button", name="Le retirer de toutes les commandes").click()
    page.get_by_text("Retirer « Tomme » (Ferme du Cérou) de 2 commandes ?").wait_for()
    assert not cheese.filter(is_missing=True).exists()
    page.get_by_role("link", name="Annuler").click()
    page.wait_for_url(re.compile(r"/missing/$"))
    assert not cheese.filter(is_missing=True).exists()

    row = page.locator("tr", has_text="Tomme")
    row.get_by_role("textbox").fill("Grêle")
    row.get_by_role("button", name="Le retirer de toutes les commandes").click()
    assert page.get_by_label("Motif (facultatif)").input_value() == "Grêle"
    page.get_by_role("button", name="Oui, le retirer de 2 commandes").click()
    page.get_by_text("« Tomme » retiré de 2 commandes").wait_for()

    assert page.locator(".messages li").count() == 1
    assert cheese.count() == 2 and all(line.is_missing for line in cheese)
