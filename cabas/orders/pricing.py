"""The one copy of what a sale item has left and what a line costs.

Used by the shop and the basket (selectors), the order services (placing, fulfilment), the
check-in screens and the API. Each rule takes plain values first (the API reads rows of
values, not objects), with a wrapper for the model objects.
"""

from __future__ import annotations

from decimal import Decimal

from cabas.catalog.models import Product
from cabas.core.money import ZERO, round_money
from cabas.sales.models import SaleItem

from .models import OrderLine

# --- What a sale item has left ---------------------------------------------------------------


def remaining_quantity(
    *,
    quantity_available: Decimal | None,
    quantity_ordered: Decimal,
    stock_mode: str,
    stock_quantity: Decimal | None,
) -> Decimal | None:
    """What can still be ordered: the sale's quantity left when the sale limits it, the shop
    stock for a product kept in the shop's stock, the smaller of the two when both apply;
    ``None`` when nothing limits it. May be negative (a correction took more)."""
    limits = []
    if quantity_available is not None:
        limits.append(quantity_available - quantity_ordered)
    if stock_mode == Product.StockMode.SHOP:
        limits.append(stock_quantity or ZERO)
    return min(limits) if limits else None


def item_remaining(item: SaleItem) -> Decimal | None:
    """``remaining_quantity`` of a sale item (its product loaded)."""
    product = item.product
    return remaining_quantity(
        quantity_available=item.quantity_available,
        quantity_ordered=item.quantity_ordered,
        stock_mode=product.stock_mode,
        stock_quantity=product.stock_quantity,
    )


def item_sold_out(item: SaleItem) -> bool:
    remaining = item_remaining(item)
    return remaining is not None and remaining <= 0


# --- Prices and amounts ----------------------------------------------------------------------


def unit_price_of(
    *,
    price: Decimal,
    variable_weight: bool,
    price_per_kg: Decimal | None,
    estimated_weight_kg: Decimal | None,
) -> Decimal:
    """The price of one unit now: a variable-weight piece is its price per kg × its estimated
    weight (rounded to the cent); anything else its price."""
    if variable_weight and price_per_kg and estimated_weight_kg:
        return round_money(price_per_kg * estimated_weight_kg)
    return price


def unit_price(product: Product) -> Decimal:
    """``unit_price_of`` a product."""
    return unit_price_of(
        price=product.price,
        variable_weight=product.variable_weight,
        price_per_kg=product.price_per_kg,
        estimated_weight_kg=product.estimated_weight_kg,
    )


def line_amount(price: Decimal, quantity: Decimal) -> Decimal:
    """A quantity at a unit price, rounded to the cent."""
    return round_money(price * quantity)


def weighed_line_amount(line: OrderLine) -> Decimal:
    """What an order line costs now: nothing if missing; its weighed weight × price per kg
    once weighed; else its quantity × unit price (an estimate for variable weight)."""
    if line.is_missing:
        return ZERO
    if line.weighed_kg is not None and line.price_per_kg is not None:
        return round_money(line.weighed_kg * line.price_per_kg)
    return line_amount(line.unit_price, line.quantity)
