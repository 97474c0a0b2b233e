"""The one copy of what a sale item has left and what a line costs (cabas.orders.pricing)."""

from decimal import Decimal

import pytest

from cabas.catalog.models import Product
from cabas.orders import pricing
from cabas.orders.models import OrderLine

D = Decimal
SHOP, PER_SALE, UNLIMITED = (Product.StockMode.SHOP, Product.StockMode.PER_SALE,
                             Product.StockMode.UNLIMITED)  # fmt: skip


@pytest.mark.parametrize(
    ("available", "ordered", "mode", "stock", "left"),
    [
        (None, D(0), UNLIMITED, None, None),  # nothing limits it
        (D(5), D(2), PER_SALE, None, D(3)),  # the sale's quantity
        (D(5), D(7), PER_SALE, None, D(-2)),  # a correction took more: negative
        (None, D(0), SHOP, D(4), D(4)),  # the shop's stock
        (None, D(0), SHOP, None, D(0)),  # a shop stock never set is empty
        (D(5), D(0), SHOP, D(2), D(2)),  # both: the smaller
        (D(5), D(4), SHOP, D(2), D(1)),
    ],
)
def test_remaining_quantity(available, ordered, mode, stock, left):
    assert (
        pricing.remaining_quantity(
            quantity_available=available,
            quantity_ordered=ordered,
            stock_mode=mode,
            stock_quantity=stock,
        )  # fmt: skip
        == left
    )


@pytest.mark.parametrize(
    ("variable", "per_kg", "estimate", "price"),
    [
        (False, None, None, D("4.20")),
        (True, D("11.90"), D("1.6"), D("19.04")),
        (True, D("11.90"), D("0.333"), D("3.96")),  # 3.9627 rounded to the cent
        (True, D("11.90"), None, D("4.20")),  # no estimate: the piece's price
        (True, None, D("1.6"), D("4.20")),
    ],
)
def test_unit_price_of(variable, per_kg, estimate, price):
    assert (
        pricing.unit_price_of(
            price=D("4.20"),
            variable_weight=variable,
            price_per_kg=per_kg,
            estimated_weight_kg=estimate,
        )  # fmt: skip
        == price
    )


def test_line_amounts():
    assert pricing.line_amount(D("6.50"), D("1.5")) == D("9.75")
    line = OrderLine(unit_price=D("19.04"), quantity=D(2), price_per_kg=D("11.90"))
    assert pricing.weighed_line_amount(line) == D("38.08")  # not weighed yet: the estimate
    line.weighed_kg = D("3.412")
    assert pricing.weighed_line_amount(line) == D("40.60")
    line.is_missing = True
    assert pricing.weighed_line_amount(line) == D("0.00")
