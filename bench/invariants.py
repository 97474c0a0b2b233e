"""After the rush, from the database: did a single invariant break? Every count must be 0.

- oversold: a limited sale item counts more than its quantity (its counter, or the sum of the
  active orders' lines); a shop product's stock below zero or not equal to its starting stock
  minus the active lines;
- overbooked: a slot with more active orders than its capacity; a slot's or a pickup's
  ``booked`` counter not equal to its active orders;
- lost or changed: an order the client was answered 2xx for is missing, or its status or
  lines are not those of the client's last 2xx answer; a rejected order request left a row
  (an order with the idempotency key of a request that was refused);
- one active order per member: members with two active orders in the sale;
- half-written orders: active orders without a number or without a line.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, Sum

from cabas.catalog.models import Product
from cabas.core.money import parse_decimal
from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

ACTIVE = ~Q(status=Order.Status.CANCELLED)
SAMPLES = 5


def _items(sale: Sale) -> dict[str, list]:
    sums = dict(
        OrderLine.objects.filter(order__sale=sale)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("sale_item_id")
        .annotate(total=Sum("quantity"))
        .values_list("sale_item_id", "total")
    )
    oversold, oversold_by_lines, counters_off = [], [], []
    for item in SaleItem.objects.filter(sale=sale):
        ordered = sums.get(item.pk, Decimal("0"))
        if item.quantity_available is not None:
            if item.quantity_ordered > item.quantity_available:
                oversold.append(item.pk)
            if ordered > item.quantity_available:
                oversold_by_lines.append(item.pk)
        if ordered != item.quantity_ordered:
            counters_off.append(item.pk)
    return {
        "oversold_items": oversold,
        "oversold_items_by_lines": oversold_by_lines,
        "item_counters_off": counters_off,
    }


def _shop_stock(sale: Sale, starting_stock: Decimal) -> dict[str, list]:
    """Shop stock is shared by the organisation's sales: starting stock − every active line."""
    taken = dict(
        OrderLine.objects.filter(organisation_id=sale.organisation_id, product__stock_mode="shop")
        .exclude(order__status=Order.Status.CANCELLED)
        .values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )
    negative, off = [], []
    shop = Product.objects.filter(organisation_id=sale.organisation_id, stock_mode="shop")
    for product in shop:
        if product.stock_quantity < 0:
            negative.append(product.pk)
        if product.stock_quantity != starting_stock - taken.get(product.pk, Decimal("0")):
            off.append(product.pk)
    return {"shop_stock_negative": negative, "shop_stock_off": off}


def _places(sale: Sale) -> dict[str, list]:
    slots = Slot.objects.filter(pickup__sale=sale).annotate(
        active=Count("orders", filter=~Q(orders__status=Order.Status.CANCELLED))
    )
    pickups = Pickup.objects.filter(sale=sale).annotate(
        active=Count("orders", filter=~Q(orders__status=Order.Status.CANCELLED))
    )
    return {
        "overbooked_slots": list(
            slots.filter(active__gt=F("capacity")).values_list("pk", flat=True)
        ),
        "slot_counters_off": [slot.pk for slot in slots if slot.booked != slot.active],
        "pickup_counters_off": [pickup.pk for pickup in pickups if pickup.booked != pickup.active],
        "overbooked_pickups": [
            pickup.pk
            for pickup in pickups
            if pickup.capacity is not None and pickup.active > pickup.capacity
        ],
    }


def _orders(sale: Sale) -> dict[str, list]:
    active = Order.objects.filter(ACTIVE, sale=sale)
    doubles = (
        active.values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("user_id", flat=True)
    )
    return {
        "members_with_two_active_orders": list(doubles),
        "active_orders_without_number": list(
            active.filter(number__isnull=True).values_list("pk", flat=True)
        ),
        "orders_without_lines": list(
            Order.objects.filter(sale=sale)
            .annotate(n=Count("lines"))
            .filter(n=0)
            .values_list("pk", flat=True)
        ),
    }


def _quantity(text) -> Decimal:
    """A quantity from the database, or as the client sent it in a form: the basket's boxes
    show it as a French person types it (« 0,5 »), read by the forms' one parser."""
    value = parse_decimal(text)
    if value is None:
        raise ValueError(f"not a quantity: {text!r}")
    return value.normalize()


def _client_view(sale: Sale, load: dict) -> dict[str, list]:
    """Every order the client got a 2xx for, as it last saw it; every refused key, no row."""
    seen = load["orders"]
    rows = {
        str(order.code): order
        for order in Order.objects.filter(sale=sale, code__in=list(seen)).prefetch_related("lines")
    }
    lost, not_as_seen = [], []
    for code, view in seen.items():
        order = rows.get(code)
        if order is None:
            lost.append(code)
            continue
        lines = {str(line.product_id): _quantity(line.quantity) for line in order.lines.all()}
        expected = {product: _quantity(q) for product, q in view["lines"].items()}
        if order.status != view["status"] or lines != expected or order.user_id != view["user_id"]:
            not_as_seen.append(code)
    succeeded = {tuple(pair) for pair in load["succeeded_keys"]}
    refused = {tuple(pair) for pair in load["rejected_keys"]} - succeeded
    traces = []
    if refused:
        keys = [key for _user, key in refused]
        for user_id, key, pk in Order.objects.filter(idempotency_key__in=keys).values_list(
            "user_id", "idempotency_key", "pk"
        ):
            if (user_id, key) in refused:
                traces.append(pk)
    return {
        "orders_lost": lost,
        "orders_not_as_client_saw": not_as_seen,
        "rejected_requests_with_a_trace": traces,
    }


def check(*, sale: Sale, starting_shop_stock: Decimal, load: dict | None = None) -> dict:
    """The invariant counts of one sale (and what the client saw, when ``load`` is given)."""
    connection.ensure_connection()
    found: dict[str, list] = {}
    found |= _items(sale)
    found |= _shop_stock(sale, starting_shop_stock)
    found |= _places(sale)
    found |= _orders(sale)
    if load is not None:
        found |= _client_view(sale, load)
    counts = {name: len(ids) for name, ids in found.items()}
    orders = Order.objects.filter(sale=sale)
    return {
        "counts": counts,
        "violations": sum(counts.values()),
        "samples": {name: [str(i) for i in ids[:SAMPLES]] for name, ids in found.items() if ids},
        "orders_in_database": {
            "active": orders.filter(ACTIVE).count(),
            "cancelled": orders.filter(status=Order.Status.CANCELLED).count(),
        },
        "checked_client_orders": len(load["orders"]) if load is not None else None,
    }
