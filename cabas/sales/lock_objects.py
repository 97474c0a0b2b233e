"""Row locks of the sales app, in one place and one global order.

Every write that checks a limit locks, inside ``transaction.atomic``, in this order:
sale → pickup → slot (→ sale items, by pk; the orders app continues the chain).
Each helper evaluates its query immediately so the lock is taken where it is called.
On SQLite ``select_for_update`` is a no-op: there, writers are serialised by the
``BEGIN IMMEDIATE`` transaction mode (settings), so the same code stays correct.
"""

from __future__ import annotations

from django.db import connection

from .models import Pickup, PickupPoint, Sale, SaleItem, Slot


def sale_lock(*, sale_id: int) -> Sale:
    return Sale.objects.select_for_update().get(pk=sale_id)


def pickup_lock(*, pickup_id: int) -> Pickup:
    return Pickup.objects.select_for_update().get(pk=pickup_id)


def pickups_of_sale_lock(*, sale_id: int) -> list[Pickup]:
    return list(Pickup.objects.filter(sale_id=sale_id).order_by("pk").select_for_update())


def slot_lock(*, slot_id: int) -> Slot:
    return Slot.objects.select_for_update().get(pk=slot_id)


def slots_of_pickup_lock(*, pickup_id: int) -> list[Slot]:
    return list(Slot.objects.filter(pickup_id=pickup_id).order_by("pk").select_for_update())


def sale_items_lock(*, sale_id: int, item_ids: list[int] | None = None) -> list[SaleItem]:
    items = SaleItem.objects.filter(sale_id=sale_id)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    return list(items.order_by("pk").select_for_update())


def pickup_point_lock(*, pickup_point_id: int) -> PickupPoint:
    """Serialises pickup creation at one point, so two overlapping pickups cannot both pass the
    overlap check."""
    return PickupPoint.objects.select_for_update().get(pk=pickup_point_id)


def sale_pickup_slot_lock(*, slot_id: int) -> tuple[Sale, Pickup, Slot]:
    """Lock the chain above a slot in the global order (the ids are read first, unlocked)."""
    sale_id, pickup_id = (
        Slot.objects.filter(pk=slot_id).values_list("pickup__sale_id", "pickup_id").get()
    )
    sale = sale_lock(sale_id=sale_id)
    pickup = pickup_lock(pickup_id=pickup_id)
    slot = slot_lock(slot_id=slot_id)
    return sale, pickup, slot


def sale_pickup_lock(*, pickup_id: int) -> tuple[Sale, Pickup]:
    sale_id = Pickup.objects.filter(pk=pickup_id).values_list("sale_id", flat=True).get()
    sale = sale_lock(sale_id=sale_id)
    pickup = pickup_lock(pickup_id=pickup_id)
    return sale, pickup


def sale_share_lock(*, sale_id: int) -> Sale:
    """The sale row locked in share mode, for placing, changing and cancelling orders.

    Orders do not block one another (share locks are compatible), but closing the sale, or
    any change that takes ``sale_lock`` (FOR UPDATE), waits for the orders in flight and then
    makes the next ones wait and read the new cutoff: an order lands before the close or is
    refused, and the after-cutoff work never misses one. SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Sale._meta.db_table)
        return Sale.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [sale_id])[0]  # noqa: S608
    return Sale.objects.get(pk=sale_id)
