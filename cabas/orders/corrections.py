"""Coordinators' corrections of orders after the cutoff (distribution day): a line added or
removed, a product's price corrected for the sale. Each needs a reason, kept in the order's
history; the quantities are counted in the sale and the totals follow. Locks as in
``fulfilment``: the orders by primary key, then their pickups, then the sale items.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cabas.catalog.models import Product, StockMovement
from cabas.core.errors import Amount
from cabas.core.money import CENT
from cabas.sales.models import SaleItem

from . import counting, errors
from .events import order_event
from .fulfilment import order_lock_open, orders_lock_open, orders_total_refresh
from .models import Order, OrderEvent, OrderLine
from .placing import order_line_build
from .pricing import unit_price_of, weighed_line_amount
from .rules import quantity_check

# The most a line's unit price holds (10 digits, 2 of them cents).
PRICE_MAX = Decimal("99999999.99")

Movement = StockMovement.Reason


def _need_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise errors.ReasonRequired(field="reason")
    return reason.strip()


@transaction.atomic
def order_line_add(*, order: Order, product: Product, quantity: Decimal, by, reason: str):
    """A coordinator adds a product to an order after the cutoff (e.g. forgotten by phone)."""
    reason = _need_reason(reason)
    item = (
        SaleItem.objects.filter(sale_id=order.sale_id, product=product)
        .select_related("product")
        .first()
    )
    if item is None:
        raise errors.ProductNotInSale(field="product")
    quantity_check(product, quantity)
    order = order_lock_open(order)
    if OrderLine.objects.filter(order=order, sale_item=item).exists():
        raise errors.InvalidOrder(
            _("This product is already in the order: change its line instead."), field="product"
        )
    line = order_line_build(order, item, quantity)
    if item.price_override is not None:
        line.unit_price = item.price_override
        line.amount = weighed_line_amount(line)
    line.save()
    counting.count(
        {item.pk: quantity},
        {item.pk: item},
        order=order,
        reason=Movement.ORDER_CORRECTED,
        by=getattr(by, "pk", None),
    )
    orders_total_refresh([order.pk])
    order_event(order, OrderEvent.Kind.LINE_ADDED, by, reason, product=product.name,
                unit=line.unit_kind, after={"quantity": quantity, "amount": line.amount},
                ).save()  # fmt: skip
    return line


@transaction.atomic
def order_line_remove(*, line: OrderLine, by, reason: str) -> None:
    """A coordinator removes a line after the cutoff; the quantity is given back."""
    reason = _need_reason(reason)
    order = order_lock_open(line.order)
    line = OrderLine.objects.select_related("sale_item__product").get(pk=line.pk, order=order)
    counting.count(
        {line.sale_item_id: -line.quantity},
        {line.sale_item_id: line.sale_item},
        order=order,
        reason=Movement.ORDER_CORRECTED,
        by=getattr(by, "pk", None),
    )
    line.delete()
    orders_total_refresh([order.pk])
    order_event(order, OrderEvent.Kind.LINE_REMOVED, by, reason, product=line.product_name,
                unit=line.unit_kind, before={"quantity": line.quantity, "amount": line.amount},
                ).save()  # fmt: skip


@transaction.atomic
def sale_item_set_price(*, item: SaleItem, price: Decimal, by, reason: str) -> int:
    """Correct a product's price for this sale only (e.g. a producer's mistake): every active
    order's line is repriced and its total follows; each order's history says so."""
    reason = _need_reason(reason)
    if price is None or price <= 0:
        raise errors.PriceInvalid(field="price")
    if price > PRICE_MAX or price != price.quantize(CENT):
        raise errors.PriceTooHigh(field="price", maximum=Amount(PRICE_MAX))
    order_ids = orders_lock_open(
        Order.objects.filter(sale_id=item.sale_id, lines__sale_item=item).exclude(
            status=Order.Status.CANCELLED
        )
    )
    SaleItem.objects.filter(pk=item.pk).update(price_override=price)
    lines = list(OrderLine.objects.filter(order_id__in=order_ids, sale_item=item))
    before = {line.order_id: (line.unit_price, line.amount) for line in lines}
    for line in lines:
        if line.variable_weight:
            line.price_per_kg = price
            if line.estimated_weight_kg:
                line.unit_price = unit_price_of(
                    price=price, variable_weight=True, price_per_kg=price,
                    estimated_weight_kg=line.estimated_weight_kg,
                )  # fmt: skip
        else:
            line.unit_price = price
        line.amount = weighed_line_amount(line)
    OrderLine.objects.bulk_update(lines, ["unit_price", "price_per_kg", "amount"])
    orders_total_refresh(order_ids)
    OrderEvent.objects.bulk_create(
        [
            order_event(
                line.order,
                OrderEvent.Kind.PRICE_CHANGED,
                by,
                reason,
                product=line.product_name,
                before={"unit_price": before[line.order_id][0], "amount": before[line.order_id][1]},
                after={"unit_price": line.unit_price, "amount": line.amount},
            )  # fmt: skip
            for line in lines
        ]
    )
    return len(lines)
