"""Placing, changing, moving and cancelling an order: one transaction each.

In this order: check the input without any lock (the membership, products of the sale,
quantity rules and what the items' read still has, pickup and slot, the minimum amount:
``checks``), then take the sale's share lock and check the cutoff with the server's clock;
write the order (one active order per member and sale is the database's unique constraint)
and its lines; then change the counters that hold the limits — pickup, slot, sale items by
primary key, the order number (``counting``) — with conditional UPDATEs, last, so the rows
everyone shares stay locked only for the end of the transaction. That is the global lock
order (``cabas.core.lock_order``): sale (share) → the order → pickup → slot → sale items by
pk → shop stock by pk → the order counter. Any refusal rolls the whole transaction back:
nothing is half-written; a broken constraint is told as its own error (``refusals``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from cabas.catalog.models import StockMovement
from cabas.core.money import ZERO
from cabas.sales import errors as sales_errors
from cabas.sales import lock_objects as sales_locks
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

from . import check_reads, counting, errors
from . import lock_objects as locks
from .checks import Checked, check_lead_time, check_request, minimum_check, sale_lock_taking_orders
from .events import order_notify
from .models import Basket, Order, OrderEvent, OrderLine
from .pricing import line_amount, unit_price
from .refusals import constraint_refusal, constraint_refusals
from .rules import member_check

Movement = StockMovement.Reason


def order_line_build(order: Order, item: SaleItem, quantity: Decimal) -> OrderLine:
    """A new line with the product's name, price and VAT rate of now (not saved)."""
    product = item.product
    price = unit_price(product)
    return OrderLine(
        organisation_id=order.organisation_id,
        order=order,
        sale_item=item,
        product=product,
        producer_id=product.producer_id,
        product_name=product.name,
        unit_label=product.unit_label,
        unit_kind=product.unit_kind,
        content_quantity=product.content_quantity,
        content_unit=product.content_unit,
        content_count=product.content_count,
        quantity=quantity,
        unit_price=price,
        vat_rate=product.vat_rate,
        variable_weight=product.variable_weight,
        price_per_kg=product.price_per_kg if product.variable_weight else None,
        estimated_weight_kg=product.estimated_weight_kg if product.variable_weight else None,
        amount=line_amount(price, quantity),
    )


# --- Orders ----------------------------------------------------------------------------------


def order_place(
    *,
    user,
    sale: Sale,
    pickup_id,
    slot_id,
    lines: Iterable[tuple[int, Decimal]],
    note: str = "",
    idempotency_key: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> Order:
    """Place ``user``'s order in ``sale``: lines of (product id, quantity), a pickup and its
    slot. All or nothing; a repeated ``idempotency_key`` returns the order it placed first
    (with ``order.replayed`` set). A new order carries its new lines as
    ``order.placed_lines`` (its pickup point and slot are loaded too).
    ``notify=False`` sends no e-mail (demo data, imports)."""
    idempotency_key = (idempotency_key or "")[:80]
    member_check(user=user, organisation=sale.organisation)
    if idempotency_key:
        previous = _order_of_key(user, idempotency_key)
        if previous is not None:
            previous.replayed = True
            return previous
    checked = check_request(
        sale=sale, pickup_id=pickup_id, slot_id=slot_id, lines=lines, check_stock=True
    )
    try:
        with transaction.atomic():
            order = _order_place_locked(user, checked, note, idempotency_key, now, notify)
    except IntegrityError as exc:
        refusal = constraint_refusal(exc)
        # Another request of this person got there first: the same key (a double submit)
        # gets the order it placed; any other constraint says what it protects.
        if isinstance(refusal, errors.AlreadyOrdered | errors.OrderConflict) and idempotency_key:
            previous = _order_of_key(user, idempotency_key)
            if previous is not None:
                previous.replayed = True
                return previous
        raise refusal from exc
    order.replayed = False
    return order


def _order_of_key(user, idempotency_key: str) -> Order | None:
    # Asked before every order sent with a key, almost always in vain: a plain SQL statement.
    order_id = check_reads.order_id_of_key(user_id=user.pk, idempotency_key=idempotency_key)
    return None if order_id is None else Order.objects.get(pk=order_id)


def _order_place_locked(user, checked: Checked, note, idempotency_key, now, notify) -> Order:
    sale, now = sale_lock_taking_orders(checked.sale.pk, now)
    check_lead_time(checked.pickup, checked.slot, now)
    # One active order per member and sale: the INSERT below fails on the database's unique
    # constraint (IntegrityError, told as AlreadyOrdered by constraint_refusal), without a
    # read first.
    order = Order.objects.create(
        organisation_id=sale.organisation_id,
        sale=sale,
        user=user,
        number=None,  # set below, last: the counter is the most shared row
        pickup=checked.pickup,
        slot=checked.slot,
        note=note[:2000],
        total=checked.total,
        idempotency_key=idempotency_key,
    )
    lines = OrderLine.objects.bulk_create(
        [
            order_line_build(order, checked.items[item_id], q)
            for item_id, q in checked.quantities.items()
        ]
    )
    order.placed_lines = lines
    OrderEvent.objects.create(
        organisation_id=order.organisation_id, order=order, kind=OrderEvent.Kind.PLACED, by=user
    )
    counting.book(checked.pickup, checked.slot)
    counting.count(
        checked.quantities, checked.items, order=order, reason=Movement.ORDER_PLACED, by=user.pk
    )
    order.number = counting.number_order(order)
    if notify:
        order_notify(order, "placed")
    return order


def _editable(order: Order, now: datetime | None) -> tuple[Order, datetime]:
    """Lock the sale (share) then the order; a cancelled order or a closed sale is refused."""
    _sale, now = sale_lock_taking_orders(order.sale_id, now)
    # With the person: the e-mail about the change is theirs (no read of its own).
    order = locks.order_lock(order_id=order.pk, related=("sale__organisation", "user"))
    if order.status not in Order.OPEN_STATUSES:
        raise errors.OrderNotEditable()
    return order, now


@constraint_refusals
@transaction.atomic
def order_change(
    *,
    order: Order,
    lines: Iterable[tuple[int, Decimal]],
    pickup_id,
    slot_id,
    note: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Until the cutoff, the member changes quantities, lines, pickup or slot: the new
    quantities and place are taken, the old ones given back, all or nothing. The changed
    order carries its lines as written (``order.current_lines``), its pickup (with its point)
    and its slot."""
    # The lines already read with the order, if they were (checked again under the lock).
    previous_items = {line.sale_item_id for line in order.lines.all()}
    checked = check_request(
        sale=order.sale,
        pickup_id=pickup_id,
        slot_id=slot_id,
        lines=lines,
        allowed_item_ids=previous_items,  # kept lines stay even if no longer offered
        check_minimum=False,  # checked below, on the kept lines' frozen prices
    )
    order, now = _editable(order, now)
    old_lines = {
        line.sale_item_id: line for line in order.lines.select_related("sale_item__product")
    }
    moved = (order.pickup_id, order.slot_id) != (
        checked.pickup.pk,
        getattr(checked.slot, "pk", None),
    )
    if moved:
        check_lead_time(checked.pickup, checked.slot, now)
    changes = {
        item_id: checked.quantities.get(item_id, ZERO)
        - (old_lines[item_id].quantity if item_id in old_lines else ZERO)
        for item_id in set(old_lines) | set(checked.quantities)
    }
    # Read before _lines_rewrite, which changes the kept lines in place.
    before = {str(k): str(line.quantity) for k, line in old_lines.items()}
    place_before = {"pickup": order.pickup_id, "slot": order.slot_id}
    total, order.current_lines = _lines_rewrite(order, checked, old_lines)
    minimum_check(order.sale, total)
    if moved:
        counting.move(order, checked.pickup, checked.slot)
    items = {**{line.sale_item_id: line.sale_item for line in old_lines.values()}, **checked.items}
    counting.count(changes, items, order=order, reason=Movement.ORDER_CHANGED, by=order.user_id)
    order.total = total
    order.pickup, order.slot = checked.pickup, checked.slot
    if note is not None:
        order.note = note[:2000]
    order.save(update_fields=["total", "pickup", "slot", "note", "updated_at"])
    _change_record(order, before, checked.quantities, place_before if moved else None)
    order_notify(order, "changed")
    return order


def _change_record(order: Order, before: dict, quantities: dict, place_before: dict | None):
    """The member's change in the order's history: quantities by sale item before and after,
    and the place before and after when it moved."""
    detail = {"before": before, "after": {str(k): str(v) for k, v in quantities.items()}}
    if place_before is not None:
        after = {"pickup": order.pickup_id, "slot": order.slot_id}
        detail["place"] = {"before": place_before, "after": after}
    OrderEvent.objects.create(
        organisation_id=order.organisation_id,
        order=order,
        kind=OrderEvent.Kind.CHANGED,
        by_id=order.user_id,  # the member (no need to load them)
        detail=detail,
    )


def _lines_rewrite(
    order: Order, checked: Checked, old_lines: dict[int, OrderLine]
) -> tuple[Decimal, list[OrderLine]]:
    """Write the order's new lines: kept lines keep their frozen price, new lines take
    today's, lines no longer wanted go. Returns the new total and the lines."""
    OrderLine.objects.filter(order=order).exclude(sale_item_id__in=checked.quantities).delete()
    total = ZERO
    lines = []
    for item_id, quantity in checked.quantities.items():
        line = old_lines.get(item_id)
        if line is None:
            line = order_line_build(order, checked.items[item_id], quantity)
            line.save()
        elif line.quantity != quantity:
            line.quantity = quantity
            line.amount = line_amount(line.unit_price, quantity)
            line.save(update_fields=["quantity", "amount", "updated_at"])
        total += line.amount
        lines.append(line)
    return total, lines


@transaction.atomic
def order_move(*, order: Order, pickup_id, slot_id, by=None) -> Order:
    """A coordinator moves an order to another pickup or slot of its sale, at any time before
    distribution (the target's capacity applies, the cutoff and lead time do not); the member
    is told by e-mail. Its current place is refused: a move is an explicit choice."""
    pickup = Pickup.objects.filter(pk=pickup_id, sale_id=order.sale_id).first()
    if pickup is None:
        raise errors.PickupInvalid(field="pickup")
    slot = None
    if pickup.has_slots:
        slot = Slot.objects.filter(pk=slot_id, pickup=pickup).first() if slot_id else None
        if slot is None:
            raise errors.SlotRequired(field="slot") if not slot_id else errors.SlotInvalid()
    # The global lock order: the sale (locked for update: members' changes wait), then the order,
    # then the pickups and slots (booking_move).
    sales_locks.sale_lock(sale_id=order.sale_id)
    order = locks.order_lock(order_id=order.pk)
    if not order.is_active:
        raise errors.OrderNotFound()
    if (order.pickup_id, order.slot_id) == (pickup.pk, getattr(slot, "pk", None)):
        raise errors.MoveToSamePlace(field="place")
    try:
        sales_services.booking_move(
            from_pickup_id=order.pickup_id,
            from_slot_id=order.slot_id,
            to_pickup_id=pickup.pk,
            to_slot_id=slot.pk if slot else None,
        )
    except (sales_errors.SlotFull, sales_errors.PickupFull, sales_errors.SlotClosed) as exc:
        raise errors.SlotFull(field="slot") from exc
    before = {"pickup": order.pickup_id, "slot": order.slot_id}
    order.pickup, order.slot = pickup, slot
    order.save(update_fields=["pickup", "slot", "updated_at"])
    OrderEvent.objects.create(
        organisation_id=order.organisation_id, order=order, kind=OrderEvent.Kind.MOVED,
        by=by, detail={"before": before, "after": {"pickup": pickup.pk,
                                                  "slot": getattr(slot, "pk", None)}},
    )  # fmt: skip
    order_notify(order, "moved")
    return order


@constraint_refusals
@transaction.atomic
def order_cancel(*, order: Order, now: datetime | None = None) -> Order:
    """Until the cutoff, the member cancels: the place and the quantities are given back. The
    cancelled order carries its lines (``order.current_lines``), its pickup (with its point)
    and its slot."""
    order, now = _editable(order, now)
    order.pickup = Pickup.objects.select_related("pickup_point").get(pk=order.pickup_id)
    order.slot = Slot.objects.get(pk=order.slot_id) if order.slot_id else None
    sales_services.booking_give_back(pickup=order.pickup, slot=order.slot)
    lines = list(order.lines.select_related("sale_item__product"))
    order.current_lines = lines
    counting.count(
        {line.sale_item_id: -line.quantity for line in lines},
        {line.sale_item_id: line.sale_item for line in lines},
        order=order,
        reason=Movement.ORDER_CANCELLED,
        by=order.user_id,
    )
    order.status = Order.Status.CANCELLED
    order.cancelled_at = now
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    OrderEvent.objects.create(
        organisation_id=order.organisation_id,
        order=order,
        kind=OrderEvent.Kind.CANCELLED,
        by_id=order.user_id,  # the member (no need to load them)
    )
    Basket.objects.filter(order=order).delete()
    order_notify(order, "cancelled")
    return order
