"""Fixtures of the money tests: a shop open for orders and a way to order from it."""

from decimal import Decimal

import pytest

from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop


@pytest.fixture
def shop():
    """An open sale of one organisation (``open_shop``: bread 4.20, chicken by weight…)."""
    return open_shop()


@pytest.fixture
def place():
    """``place(shop, member, [("bread", 2)])``: the member's order at the shop's pickup
    without slots (no confirmation e-mail)."""

    def place(shop, member, lines):
        return order_services.order_place(
            user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
            lines=[(shop.products[name].pk, Decimal(q)) for name, q in lines], notify=False,
        )  # fmt: skip

    return place
