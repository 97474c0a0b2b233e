"""The counters that hold the limits: places of pickups and slots, quantities of sale items.

The conditional UPDATEs run several times in every order placed, changed or cancelled. They
are written once, here, as plain SQL: building the same statements with the ORM cost more CPU
than the database spends running them (docs/performance.md). Each changes one row by primary
key, only when the limit allows it, and tells whether it did. The orders app is the only
caller (``order_place``, ``order_change``, ``order_move``, ``order_cancel``); see
lock_objects.py for the lock order.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from .. import errors, lock_objects
from ..models import Pickup, SaleItem, Slot


def _counter_update(model, assignment: str, condition: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"UPDATE {table} SET {assignment} WHERE id = %s AND {condition}"  # noqa: S608


_SLOT_TAKE = _counter_update(Slot, "booked = booked + 1", "is_open AND booked < capacity")


_SLOT_GIVE_BACK = _counter_update(Slot, "booked = booked - 1", "booked > 0")


_PICKUP_TAKE = _counter_update(
    Pickup, "booked = booked + 1", "(capacity IS NULL OR booked < capacity)"
)


_PICKUP_GIVE_BACK = _counter_update(Pickup, "booked = booked - 1", "booked > 0")


_ITEM_ADD = _counter_update(
    SaleItem,
    "quantity_ordered = quantity_ordered + %s",
    "(quantity_available IS NULL OR quantity_available >= quantity_ordered + %s)",
)


_ITEM_REMOVE = _counter_update(
    SaleItem, "quantity_ordered = quantity_ordered - %s", "quantity_ordered >= %s"
)


def _counted(sql: str, params: list) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


def _slot_take(slot_id: int) -> bool:
    return _counted(_SLOT_TAKE, [slot_id])


def _slot_give_back(slot_id: int) -> bool:
    return _counted(_SLOT_GIVE_BACK, [slot_id])


def _pickup_take(pickup_id: int) -> bool:
    return _counted(_PICKUP_TAKE, [pickup_id])


def _pickup_give_back(pickup_id: int) -> bool:
    return _counted(_PICKUP_GIVE_BACK, [pickup_id])


def _take_place(*, pickup: Pickup, slot: Slot | None) -> bool:
    """Pickup, then slot: the global lock order (``cabas.core.lock_order``). A full slot
    returns False; the caller raises and the transaction rolls the pickup's UPDATE back."""
    if not _pickup_take(pickup.pk):
        raise errors.PickupFull()  # only a pickup without slots has a capacity of its own
    return slot is None or _slot_take(slot.pk)


def _give_back_place(*, pickup: Pickup, slot: Slot | None) -> bool:
    """Pickup, then slot (the global lock order)."""
    if not _pickup_give_back(pickup.pk):
        return False
    return slot is None or _slot_give_back(slot.pk)


def booking_switch(
    *, from_pickup: Pickup, from_slot: Slot | None, to_pickup: Pickup, to_slot: Slot | None
) -> None:
    """Move one order's place (the member changes slot or pickup): every pickup row first,
    then every slot row, each in primary-key order — the global lock order that every other
    booking writer follows (pickup, then slot), so two movers and a booker never wait on each
    other crosswise. The caller holds the sale's share lock and has checked the lead time."""
    if to_pickup.has_slots != (to_slot is not None):
        raise errors.PickupHasSlots() if to_pickup.has_slots else errors.PickupWithoutSlots()
    if from_pickup.pk != to_pickup.pk:
        for pickup_id in sorted((from_pickup.pk, to_pickup.pk)):
            if pickup_id == to_pickup.pk and not _pickup_take(pickup_id):
                raise errors.PickupFull()
            if pickup_id == from_pickup.pk:
                _pickup_give_back(pickup_id)
    slot_moves = {}
    if from_slot is not None:
        slot_moves[from_slot.pk] = slot_moves.get(from_slot.pk, 0) - 1
    if to_slot is not None:
        slot_moves[to_slot.pk] = slot_moves.get(to_slot.pk, 0) + 1
    for slot_id in sorted(slot_moves):
        if slot_moves[slot_id] > 0 and not _slot_take(slot_id):
            raise errors.SlotFull()
        if slot_moves[slot_id] < 0:
            _slot_give_back(slot_id)


def booking_take(*, pickup: Pickup, slot: Slot | None) -> None:
    """Take one place for an order (conditional UPDATEs, pickup then slot). The caller holds
    the sale's share lock (orders) and has checked the cutoff and the lead time."""
    if pickup.has_slots != (slot is not None):
        raise errors.PickupHasSlots() if pickup.has_slots else errors.PickupWithoutSlots()
    if not _take_place(pickup=pickup, slot=slot):
        raise errors.SlotFull()


def booking_give_back(*, pickup: Pickup, slot: Slot | None) -> None:
    """Give back an order's place (cancelled or moved)."""
    if not _give_back_place(pickup=pickup, slot=slot):
        raise errors.NothingBooked()


def sale_items_count(*, changes: dict[int, Decimal]) -> None:
    """Count ordered quantities: ``{sale_item_id: +q or -q}``, in primary-key order so that two
    orders never wait on each other crosswise. A quantity above what is left raises SoldOut
    (with the quantity left); the caller's transaction then rolls everything back."""
    item_ids = sorted(item_id for item_id, delta in changes.items() if delta)
    statements = [
        (_ITEM_ADD, [delta, item_id, delta])
        if (delta := changes[item_id]) > 0
        else (_ITEM_REMOVE, [-delta, item_id, -delta])
        for item_id in item_ids
    ]
    for item_id, counted in zip(item_ids, _all_counted(statements), strict=True):
        if counted:
            continue
        if changes[item_id] < 0:
            raise errors.NothingBooked()
        item = SaleItem.objects.select_related("product").get(pk=item_id)
        raise errors.SoldOut(
            product=item.product.name, left=item.quantity_remaining, item_id=item_id
        )


def _all_counted(statements: list[tuple[str, list]]) -> list[bool]:
    """Run the conditional UPDATEs in their order and tell which changed their row. On
    PostgreSQL they are sent together, in one round trip (``;``-separated: the server runs
    them one after the other, so rows are locked in the same order as one by one), each one's
    row count read in turn (client-side binding, Django's default; with server-side binding
    a statement takes one command only); elsewhere one by one."""
    together = connection.vendor == "postgresql" and not connection.settings_dict.get(
        "OPTIONS", {}
    ).get("server_side_binding")
    if not together or len(statements) < 2:
        return [_counted(sql, params) for sql, params in statements]
    with connection.cursor() as cursor:
        cursor.execute(
            "; ".join(sql for sql, _ in statements), [p for _, ps in statements for p in ps]
        )
        counted = [cursor.rowcount > 0]
        while cursor.nextset():
            counted.append(cursor.rowcount > 0)
    return counted


@transaction.atomic
def booking_move(
    *,
    from_pickup_id: int,
    from_slot_id: int | None,
    to_pickup_id: int,
    to_slot_id: int | None,
) -> None:
    """Move one booking to another slot or pickup of the same sale (a coordinator's move: the
    cutoff and lead time do not apply, the target's capacity does). The orders app calls this
    when it moves an order, then notifies the member. Locks the sale, every pickup of it,
    then the two slots, by key (``order_move`` has locked the sale, then the order, before)."""
    sale_ids = set(
        Pickup.objects.filter(pk__in=[from_pickup_id, to_pickup_id]).values_list(
            "sale_id", flat=True
        )
    )
    if len(sale_ids) != 1:
        raise errors.PickupOfAnotherSale()
    sale_id = sale_ids.pop()
    lock_objects.sale_lock(sale_id=sale_id)
    locked = {p.pk: p for p in lock_objects.pickups_of_sale_lock(sale_id=sale_id)}
    slot_ids = sorted({i for i in (from_slot_id, to_slot_id) if i is not None})
    slots = {s.pk: s for s in lock_objects.slots_lock(slot_ids=slot_ids)}
    from_pickup, to_pickup = locked[from_pickup_id], locked[to_pickup_id]
    from_slot = slots.get(from_slot_id) if from_slot_id else None
    to_slot = slots.get(to_slot_id) if to_slot_id else None
    for pickup, slot in ((from_pickup, from_slot), (to_pickup, to_slot)):
        if pickup.has_slots != (slot is not None) or (slot and slot.pickup_id != pickup.pk):
            raise errors.PickupHasSlots() if pickup.has_slots else errors.PickupWithoutSlots()
    if (from_pickup_id, from_slot_id) == (to_pickup_id, to_slot_id):
        return
    if not _give_back_place(pickup=from_pickup, slot=from_slot):
        raise errors.NothingBooked()
    if to_slot is not None and not to_slot.is_open:
        raise errors.SlotClosed()
    if not _take_place(pickup=to_pickup, slot=to_slot):
        raise errors.SlotFull()
