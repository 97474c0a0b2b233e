"""On a phone (390 px, French): a producer's revenue per month and the coordinators' shares
per month are drawn by Chart.js from the page's data, beside tables with the same numbers;
the pages fit the screen and axe finds nothing serious."""

from decimal import Decimal

import pytest

from cabas.money import services as money_services
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership

from .test_inventory import _check_phone
from .test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_the_producers_months_and_the_coordinators_shares_are_drawn(page, world):
    shop = open_shop(organisation=world.org_a)
    farm = shop.products["bread"].producer
    Membership.objects.filter(user=world.users["producer"], organisation=world.org_a).update(
        producer=farm
    )
    order = order_services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, D(2)), (shop.products["chicken"].pk, D(1))],
    )  # fmt: skip
    order_services.order_line_weigh(
        line=order.lines.get(product_name="Poulet"), weighed_kg=D("1.7"), by=None
    )
    order_services.order_place(
        user=world.users["volunteer"], sale=shop.sale, pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk, lines=[(shop.products["bread"].pk, D(1))],
    )  # fmt: skip
    money_services.money_settings_update(organisation=world.org_a, share_price=D("20"))
    money_services.shares_subscribe(organisation=world.org_a, user=world.users["member"],
                                    quantity=3, by=None)  # fmt: skip
    found: dict = {}

    _log_in(page, world.users["producer"].email)
    page.goto(f"/o/{world.org_a.slug}/producer/figures/")
    page.get_by_role("heading", name="Votre chiffre d’affaires par mois").wait_for()
    page.wait_for_function("window.Chart && Chart.getChart('months-chart')")
    drawn = page.evaluate(
        "Chart.getChart('months-chart').data.datasets[0].data.reduce((a, b) => a + b, 0)"
    )
    # Bread 3 × 4.20 = 12.60, the chicken weighed 1.7 kg × 11.90 = 20.23.
    assert drawn == pytest.approx(32.83)
    assert "32,83" in page.locator("table.weekly").nth(1).inner_text()
    assert "Poulet" in page.locator(".best-worst").inner_text()
    _check_phone(page, found)

    page.context.clear_cookies()
    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{world.org_a.slug}/dashboard/")
    page.get_by_role("heading", name="Cotisations et parts sociales").wait_for()
    page.wait_for_function("window.Chart && Chart.getChart('memberships-chart')")
    held = page.evaluate("Chart.getChart('memberships-chart').data.datasets[0].data.at(-1)")
    assert held == 3
    _check_phone(page, found)
    assert found == {}
