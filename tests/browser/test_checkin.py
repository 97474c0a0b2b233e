"""On distribution day, a volunteer with a phone checks in two orders, one with weighing."""

import re
from decimal import Decimal

import pytest

from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_a_volunteer_checks_in_two_orders_one_weighed(page, live_server):
    shop = open_shop()
    chicken = order_services.order_place(
        user=shop.member(last_name="Albert"), sale=shop.sale, pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk, lines=[(shop.products["chicken"].pk, D(1))],
    )  # fmt: skip
    bread = order_services.order_place(
        user=shop.member(last_name="Bernard"), sale=shop.sale, pickup_id=shop.pickup.pk,
        slot_id=shop.slots[1].pk, lines=[(shop.products["bread"].pk, D(2))],
    )  # fmt: skip
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member(email="benevole@example.org")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)

    log_in(page, volunteer.email)

    # The pickup's check-in screen, found from the distribution menu.
    page.goto(f"/o/{shop.organisation.slug}/checkin/")
    page.get_by_role("link", name="Pointage").first.click()
    page.get_by_text(f"n° {chicken.number}").wait_for()

    # Search by name, open the order, weigh the chicken, mark it collected.
    page.fill("input[name=q]", "Albert")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile(rf"n° {chicken.number}")).click()
    page.fill("input[name=weighed_kg]", "1,85")
    page.get_by_role("button", name="Peser").click()
    page.get_by_text("Poids enregistré.").wait_for()
    assert Order.objects.get(pk=chicken.pk).total == D("22.02")  # 1.85 kg × 11.90 €/kg
    page.get_by_role("button", name="Marquer retirée").click()
    page.get_by_text(f"Commande n° {chicken.number} : retirée.").wait_for()
    page.get_by_text("Statut : retirée").wait_for()  # the status reads as one, not a button

    # Back on the list, the second order is collected straight from its row.
    page.goto(f"/o/{shop.organisation.slug}/checkin/pickups/{shop.pickup.pk}/")
    row = page.locator(".checkin-orders li.card", has_text=f"n° {bread.number}")
    row.get_by_text("Statut : à préparer").wait_for()
    row.get_by_role("button", name="Marquer retirée").click()
    page.wait_for_url(re.compile(rf"/checkin/pickups/{shop.pickup.pk}/$"))

    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {chicken.pk: "collected", bread.pk: "collected"}
