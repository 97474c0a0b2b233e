"""Checking an order before any lock (read-only), then, under the sale's share lock, the
cutoff and the lead time against the server's clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from cabas.catalog.units import product_unit
from cabas.core.errors import Amount, Quantity
from cabas.core.money import ZERO, round_money
from cabas.sales import lock_objects as sales_locks
from cabas.sales import selectors as sales_selectors
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

from . import check_reads, errors
from .pricing import line_amount, unit_price
from .rules import quantity_check


@dataclass
class Checked:
    sale: Sale
    pickup: Pickup
    slot: Slot | None
    items: dict[int, SaleItem]  # by sale item id
    quantities: dict[int, Decimal]  # by sale item id
    total: Decimal


def check_request(
    *,
    sale: Sale,
    pickup_id,
    slot_id,
    lines: Iterable[tuple[int, Decimal]],
    allowed_item_ids: Iterable[int] = (),
    check_minimum: bool = True,
    check_stock: bool = False,
) -> Checked:
    """Products of this sale, offered, in quantities they take (with ``check_stock``, still
    left in what this read sees); a pickup of this sale and a slot of that pickup; the minimum
    amount. Read-only, no lock."""
    wanted: dict[int, Decimal] = {}
    for product_id, quantity in lines:
        if not isinstance(product_id, int):
            raise errors.ProductNotInSale(field="lines")
        wanted[product_id] = wanted.get(product_id, ZERO) + Decimal(quantity)
    if not wanted:
        raise errors.EmptyOrder(field="lines")
    items = check_reads.sale_items_of(sale_id=sale.pk, product_ids=wanted)
    allowed = set(allowed_item_ids)
    quantities: dict[int, Decimal] = {}
    by_item: dict[int, SaleItem] = {}
    total = ZERO
    for product_id, quantity in wanted.items():
        item = items.get(product_id)
        if item is None:
            raise errors.ProductNotInSale(field="lines")
        offered = not (item.is_excluded or item.is_unavailable) and item.product.is_active
        if not offered and item.pk not in allowed:
            raise errors.ProductUnavailable(field="lines", product=item.product.name)
        quantity_check(item.product, quantity)
        quantities[item.pk] = quantity
        by_item[item.pk] = item
        total += line_amount(unit_price(item.product), quantity)
    if check_stock:
        check_stock_read(by_item, quantities)
    pickup, slot = place_of(sale, pickup_id, slot_id)
    if check_minimum:
        minimum_check(sale, total)
    return Checked(sale, pickup, slot, by_item, quantities, total)


def place_of(sale: Sale, pickup_id, slot_id) -> tuple[Pickup, Slot | None]:
    """A pickup of the sale (with its point) and, when it has slots, one of its slots: one
    query."""
    pickup, slot = check_reads.pickup_and_slot(
        sale_id=sale.pk, pickup_id=pickup_id, slot_id=slot_id
    )
    if pickup is None:
        raise errors.PickupInvalid(field="pickup")
    if not pickup.has_slots:
        return pickup, None
    if slot is not None:
        return pickup, slot
    if not slot_id:
        raise errors.SlotRequired(field="slot")
    raise errors.SlotInvalid(field="slot")


def minimum_check(sale: Sale, total: Decimal) -> None:
    minimum = sales_selectors.sale_minimum_order_amount(sale=sale)
    if total < minimum:
        raise errors.BelowMinimum(
            field="lines",
            minimum=Amount(round_money(minimum)),
            total=Amount(round_money(total)),
        )


def check_stock_read(items: dict[int, SaleItem], quantities: dict[int, Decimal]) -> None:
    """Refuse at once a quantity the sale items read above no longer have: when a product is
    sold out, most orders asking for it are refused here, without a transaction. What this
    read allows is counted for real, under the conditional UPDATEs, when the order is
    written."""
    for item_id, quantity in quantities.items():
        left = items[item_id].quantity_remaining
        if left is not None and quantity > left:
            raise errors.OutOfStock(
                field="lines",
                product=items[item_id].product.name,
                left=Quantity(max(left, ZERO), product_unit(items[item_id].product)),
                item_id=item_id,
            )


def sale_lock_taking_orders(sale_id: int, now: datetime | None) -> tuple[Sale, datetime]:
    """Share-lock the sale, then read the clock: the cutoff is checked against the time the
    write really happens."""
    sale = sales_locks.sale_share_lock(sale_id=sale_id)
    now = now or timezone.now()
    if not sale.takes_orders(now):
        raise errors.SaleClosed()
    return sale, now


def check_lead_time(pickup: Pickup, slot: Slot | None, now: datetime) -> None:
    if slot is not None and not slot.is_open:
        raise errors.SlotFull(field="slot")
    if not pickup.bookable_at(now, slot.starts_at if slot else None):
        raise errors.SlotTooLate(field="slot")
