"""The checkout page and its confirmation read a fixed number of times, whatever the number
of pickups, slots and products of the sale (issue 21: the member's order flow)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.orders import services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.django_db
D = Decimal
TOKEN = "5c0f3a1e-2b7d-4f0e-9a51-3d6e8f1b2c4a"
# What one request reads and writes now (PostgreSQL takes the sale's share lock, SQLite has
# no such statement): room for none more.
CHECKOUT_QUERIES = 12
CONFIRM_QUERIES = 32  # a basket of one product without stock to count down


def _shop(points: int, slots: int, products: int):
    shop = open_shop(slots=slots, extra_products=products)
    start = shop.pickup.starts_at
    for _ in range(points - 2):
        sales_services.pickup_create(
            sale=shop.sale, pickup_point=PickupPointFactory(organisation=shop.organisation),
            starts_at=start, ends_at=start + timedelta(minutes=15 * slots),
            slot_mode=SlotMode.SLOTS, slot_minutes=15, slot_capacity=3,
        )  # fmt: skip
    member = shop.member()
    services.basket_set_quantity(sale=shop.sale, product_id=shop.products["bread"].pk,
                                 quantity=D(1), user=member)  # fmt: skip
    return shop, member


def _url(shop) -> str:
    return reverse("orders:checkout", args=[shop.organisation.slug, shop.sale.pk])


def _checkout(client, points, slots, products) -> int:
    shop, member = _shop(points, slots, products)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(shop), {"pickup": shop.pickup.pk})
    assert response.status_code == 200
    assert response.content.decode().count('type="radio" name="place"') == slots
    return len(queries)


def _confirm(client, points, slots, products) -> int:
    shop, member = _shop(points, slots, products)
    client.force_login(member)
    place = f"{shop.pickup.pk}-{shop.slots[-1].pk}"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(shop), {"place": place, "token": TOKEN, "note": ""})
    assert response.status_code == 302
    assert Order.objects.get(user=member).lines.count() == 1
    return len(queries)


def test_the_checkout_page_reads_the_same_whatever_the_sale(client):
    small = _checkout(client, 2, 2, 0)
    assert _checkout(client, 12, 10, 40) == small <= CHECKOUT_QUERIES


def test_the_confirmation_reads_the_same_whatever_the_sale(client):
    small = _confirm(client, 2, 2, 0)
    assert _confirm(client, 12, 10, 40) == small <= CONFIRM_QUERIES


def test_the_confirmation_of_a_big_sale_stays_under_its_bound(
    client, django_assert_max_num_queries
):
    shop, member = _shop(12, 10, 40)
    client.force_login(member)
    place = f"{shop.pickup.pk}-{shop.slots[0].pk}"
    with django_assert_max_num_queries(CONFIRM_QUERIES):
        response = client.post(_url(shop), {"place": place, "token": TOKEN, "note": ""})
    assert response.status_code == 302


def test_the_checkout_page_shows_the_places_of_a_second_ago_a_refusal_reads_them_afresh(
    client, settings
):
    """With SHOP_CACHE_SECONDS on (as in production), a checkout page within the period uses
    this process's copy of the pickups and slots (two queries fewer); a refused confirmation
    reads them afresh, so the slot that just filled up shows full."""
    from django.core.cache import caches

    caches["shop"].clear()
    settings.SHOP_CACHE_SECONDS = 60
    shop, member = _shop(2, 2, 0)
    client.force_login(member)
    client.get(_url(shop), {"pickup": shop.pickup.pk})  # the day's session refresh
    caches["shop"].clear()
    with CaptureQueriesContext(connection) as fresh:
        client.get(_url(shop), {"pickup": shop.pickup.pk})
    first = shop.slots[0]
    first.booked = first.capacity  # filled by others since: the copy does not know it yet
    first.save(update_fields=["booked"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_url(shop), {"pickup": shop.pickup.pk}).content.decode()
    assert len(queries) == len(fresh) - 2
    assert page.count(" disabled") == 0  # the copy: both slots still offered
    place = f"{shop.pickup.pk}-{first.pk}"
    refused = client.post(_url(shop), {"place": place, "token": TOKEN, "note": ""})
    assert refused.status_code == 200
    assert not Order.objects.filter(user=member).exists()
    assert refused.content.decode().count(" disabled") == 1  # read afresh: full
    caches["shop"].clear()


def test_the_order_page_reads_the_same_whatever_its_lines(client):
    """The page a confirmation lands on: the order with its sale, point and slot in one
    statement, its lines in another, whatever their number."""

    def order_page(products: int) -> int:
        shop, member = _shop(2, 2, 0)
        for name in list(shop.products)[:products]:
            services.basket_set_quantity(sale=shop.sale, product_id=shop.products[name].pk,
                                         quantity=D(1), user=member)  # fmt: skip
        client.force_login(member)
        place = f"{shop.pickup.pk}-{shop.slots[0].pk}"
        url = client.post(_url(shop), {"place": place, "token": TOKEN, "note": ""})["Location"]
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        order = Order.objects.get(user=member)
        assert order.lines.count() == max(products, 1)
        assert shop.pickup.pickup_point.name in page
        assert f"n° {order.number}" in page or f"{order.number}" in page
        assert all(line.product_name in page for line in order.lines.all())
        return len(queries)

    assert order_page(1) == order_page(3)
