"""Checking an order reads its sale items, pickup and slot in plain SQL (``check_reads``): the
same refusals as before for every wrong or junk id, and instances that carry what the order
then reads (the product, the pickup point) without another query."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.orders import errors
from cabas.orders.checks import check_request, place_of
from cabas.orders.tests.factories import open_shop

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.fixture
def shop():
    return open_shop()


def test_the_place_and_the_items_come_with_what_the_order_reads_in_two_queries(shop):
    lines = [(shop.products["bread"].pk, Decimal(1)), (shop.products["soap"].pk, Decimal(2))]

    with CaptureQueriesContext(connection) as queries:
        checked = check_request(
            sale=shop.sale,
            pickup_id=shop.pickup.pk,
            slot_id=shop.slots[1].pk,
            lines=lines,
            check_minimum=False,  # its read: cabas/orders/tests/test_shop_sale.py
        )
        names = {item.product.name for item in checked.items.values()}
        point = checked.slot.pickup.pickup_point.name
    assert len(queries) == 2
    assert names == {"Pain de campagne", "Savon"}
    assert point == shop.pickup.pickup_point.name
    assert checked.pickup == shop.pickup and checked.slot == shop.slots[1]
    assert checked.total == Decimal("14.20")
    assert checked.items[shop.item("soap").pk].product.stock_quantity == Decimal("10")


def test_a_pickup_without_slots_ignores_a_slot_id(shop):
    assert place_of(shop.sale, shop.open_pickup.pk, shop.slots[0].pk) == (shop.open_pickup, None)
    assert place_of(shop.sale, shop.open_pickup.pk, None) == (shop.open_pickup, None)


@pytest.mark.parametrize("pickup_id", [None, 0, -1, "", "abc", HUGE, "12x"])
def test_no_such_pickup_is_refused(shop, pickup_id):
    with pytest.raises(errors.PickupInvalid):
        place_of(shop.sale, pickup_id, shop.slots[0].pk)


def test_a_pickup_of_another_sale_is_refused(shop):
    other = open_shop()
    with pytest.raises(errors.PickupInvalid):
        place_of(shop.sale, other.pickup.pk, other.slots[0].pk)


@pytest.mark.parametrize("slot_id", [-1, "abc", HUGE])
def test_no_such_slot_is_refused(shop, slot_id):
    with pytest.raises(errors.SlotInvalid):
        place_of(shop.sale, shop.pickup.pk, slot_id)


@pytest.mark.parametrize("slot_id", [None, 0, ""])
def test_a_missing_slot_is_asked_for(shop, slot_id):
    with pytest.raises(errors.SlotRequired):
        place_of(shop.sale, shop.pickup.pk, slot_id)


def test_a_slot_of_another_pickup_is_refused(shop):
    other = open_shop()
    with pytest.raises(errors.SlotInvalid):
        place_of(shop.sale, shop.pickup.pk, other.slots[0].pk)


@pytest.mark.parametrize("product_id", [0, -5, HUGE])
def test_a_product_id_that_names_no_row_is_not_in_the_sale(shop, product_id):
    with pytest.raises(errors.ProductNotInSale):
        check_request(
            sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
            lines=[(shop.products["bread"].pk, Decimal(1)), (product_id, Decimal(1))],
        )  # fmt: skip


def test_a_product_of_another_sale_is_not_in_the_sale(shop):
    other = open_shop()
    with pytest.raises(errors.ProductNotInSale):
        check_request(
            sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
            lines=[(other.products["bread"].pk, Decimal(1))],
        )  # fmt: skip
