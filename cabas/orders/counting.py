"""The counters an order changes, last in its transaction (the rows everyone shares): the
places of the pickup and slot, the quantities of the sale items and the shop stock, and the
sale's order number. Each is a conditional UPDATE; a refusal is told as the member's error."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import F

from cabas.catalog import errors as catalog_errors
from cabas.catalog import services as catalog_services
from cabas.catalog.models import Product
from cabas.catalog.units import product_unit
from cabas.core.errors import Quantity
from cabas.core.money import ZERO
from cabas.sales import errors as sales_errors
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, SaleItem, Slot

from . import errors
from .models import Order, SaleOrderCounter


def book(pickup: Pickup, slot: Slot | None) -> None:
    try:
        sales_services.booking_take(pickup=pickup, slot=slot)
    except (sales_errors.SlotFull, sales_errors.PickupFull) as exc:
        raise errors.SlotFull(field="slot") from exc


def count(
    changes: dict[int, Decimal],
    items: dict[int, SaleItem],
    *,
    order: Order,
    reason: str,
    by: int | None = None,
) -> None:
    """Count the quantities in the sale (``{sale_item_id: ±q}``), then in the shop stock for
    products kept in it, written in the stock's ledger with ``reason``, the order and who
    (``by``, a user's id). ``items`` gives each sale item's product."""
    changes = {item_id: delta for item_id, delta in changes.items() if delta}
    try:
        sales_services.sale_items_count(changes=changes)
    except sales_errors.SoldOut as exc:
        left, item = exc.params["left"], items[exc.params["item_id"]]
        raise errors.OutOfStock(
            field="lines",
            product=exc.params["product"],
            left=Quantity(max(left or ZERO, ZERO), product_unit(item.product)),
            item_id=exc.params["item_id"],
        ) from exc
    shop = {
        items[item_id].product_id: delta
        for item_id, delta in changes.items()
        if items[item_id].product.stock_mode == Product.StockMode.SHOP
    }
    try:
        catalog_services.shop_stock_take(
            changes=shop,
            reason=reason,
            organisation_id=order.organisation_id,
            order_id=order.pk,
            made_by_id=by,
        )
    except catalog_errors.StockNegative as exc:
        products = {item.product_id: item.product for item in items.values()}
        raise errors.OutOfStock(
            field="lines",
            product=exc.params["product"],
            left=Quantity(
                max(exc.params["available"] or ZERO, ZERO),
                product_unit(products[exc.params["product_id"]]),
            ),
        ) from exc


def number_order(order: Order) -> int:
    """Give the order the sale's next number. On PostgreSQL one statement takes the number
    and writes it on the order, so the counter row — which every order of the sale updates
    — stays locked for that statement and the COMMIT only."""
    if connection.vendor == "postgresql":
        counter = connection.ops.quote_name(SaleOrderCounter._meta.db_table)
        orders = connection.ops.quote_name(Order._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH taken AS (UPDATE {counter} SET last_number = last_number + 1"  # noqa: S608
                f" WHERE sale_id = %s RETURNING last_number)"
                f" UPDATE {orders} SET number = taken.last_number FROM taken"
                f" WHERE {orders}.id = %s RETURNING {orders}.number",
                [order.sale_id, order.pk],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    number = next_number(order.sale_id)  # the sale's first order, or SQLite
    Order.objects.filter(pk=order.pk).update(number=number)
    return number


def next_number(sale_id: int) -> int:
    """The sale's next order number (the counter row is created once, then incremented)."""
    if not SaleOrderCounter.objects.filter(sale_id=sale_id).update(
        last_number=F("last_number") + 1
    ):
        SaleOrderCounter.objects.bulk_create(
            [SaleOrderCounter(sale_id=sale_id, last_number=0)], ignore_conflicts=True
        )
        SaleOrderCounter.objects.filter(sale_id=sale_id).update(last_number=F("last_number") + 1)
    return SaleOrderCounter.objects.values_list("last_number", flat=True).get(sale_id=sale_id)


def move(order: Order, pickup: Pickup, slot: Slot | None) -> None:
    """Take the new place and give back the old one (pickups, then slots, by primary key)."""
    try:
        sales_services.booking_switch(
            from_pickup=Pickup.objects.get(pk=order.pickup_id),
            from_slot=Slot.objects.get(pk=order.slot_id) if order.slot_id else None,
            to_pickup=pickup,
            to_slot=slot,
        )
    except (sales_errors.SlotFull, sales_errors.PickupFull) as exc:
        raise errors.SlotFull(field="slot") from exc
