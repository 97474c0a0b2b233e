"""The coordinator's activity dashboard on a phone (390 px, French): the chart is drawn by
Chart.js from the page's data, its table holds the same numbers, the page fits the screen."""

from decimal import Decimal

import pytest

from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop

from .test_inventory import _check_phone
from .test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_weekly_chart_is_drawn_with_its_table(page, world):
    shop = open_shop(organisation=world.org_a)
    order_services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(2))],
    )  # fmt: skip
    order_services.order_place(
        user=world.users["volunteer"], sale=shop.sale, pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk, lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip
    found: dict = {}
    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{world.org_a.slug}/dashboard/")
    page.get_by_role("heading", name="Commandes et chiffre d’affaires par semaine").wait_for()
    page.wait_for_function("window.Chart && Chart.getChart('weekly-chart')")
    drawn = page.evaluate(
        "Chart.getChart('weekly-chart').data.datasets[0].data.reduce((a, b) => a + b, 0)"
    )
    assert drawn == 2
    assert "12,60" in page.locator("table.weekly").first.inner_text()
    # The slots' heat map: the first slot a fifth full, as a table a screen reader reads.
    assert "20 %" in page.locator("table.heat").inner_text().replace("\u00a0", " ")
    _check_phone(page, found)
    assert found == {}


def test_the_share_bars_name_each_pickup_point_in_full_on_a_phone(page, world):
    """Beside its bar a point's name was cut to four letters (« Gaill… »): on a phone it has a
    line of its own above the bar."""
    from cabas.sales.models import PickupPoint

    shop = open_shop(organisation=world.org_a)
    PickupPoint.objects.filter(pk=shop.open_pickup.pickup_point_id).update(
        name="Castelnau-de-Montmiral — Place des Arcades"
    )
    order_services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(2))],
    )  # fmt: skip
    _log_in(page, world.users["coordinator"].email)

    page.goto(f"/o/{world.org_a.slug}/dashboard/")

    names = page.locator(".share-name", has_text="Castelnau-de-Montmiral")
    assert names.count() >= 1
    cut = names.first.evaluate("e => e.scrollWidth > e.clientWidth + 1")
    assert cut is False
    assert names.first.evaluate("e => e.getBoundingClientRect().right") <= 390
