"""Row locks of the sales app, in one place (the global order: ``cabas.core.lock_order``).

    organisation-level rows (sales settings, schedules, the drive, pickup points)
    → sale → [orders] → pickups by pk → slots by pk → sale items by pk → [shop stock, counters]

Each helper says where it stands, and evaluates its query immediately so the lock is taken
where it is called. The counters of places and quantities (conditional UPDATEs in
``services.py``) lock their rows too: they follow the same order (pickup, then slot, then
sale items by pk).
On SQLite ``select_for_update`` is a no-op: there, writers are serialised by the
``BEGIN IMMEDIATE`` transaction mode (settings), so the same code stays correct.
"""

from __future__ import annotations

from django.db import connection

from .models import Drive, Pickup, PickupPoint, Sale, SaleItem, SalesSettings, Schedule, Slot

# --- Organisation-level rows (first) ---------------------------------------------------------


def sales_settings_lock(*, organisation_id: int) -> SalesSettings:
    """The organisation's sales settings, created when missing, locked (organisation level)."""
    settings, _created = SalesSettings.objects.select_for_update().get_or_create(
        organisation_id=organisation_id
    )
    return settings


def schedule_lock(*, schedule_id: int) -> Schedule:
    """A schedule, locked while it is changed or generates its sales (organisation level,
    before the sales and pickups it makes)."""
    return Schedule.objects.select_for_update().get(pk=schedule_id)


def active_drive_lock(*, organisation_id: int) -> Drive | None:
    """The organisation's active drive, locked while it generates its sales (organisation
    level), or None."""
    return (
        Drive.objects.select_for_update()
        .filter(organisation_id=organisation_id, is_active=True)
        .order_by("pk")
        .first()
    )


def pickup_point_lock(*, pickup_point_id: int) -> PickupPoint:
    """Serialises pickup creation at one point, so two overlapping pickups cannot both pass the
    overlap check. A point serves every sale of the organisation: it is locked before the sale."""
    return PickupPoint.objects.select_for_update().get(pk=pickup_point_id)


# --- The sale, its pickups, slots and items --------------------------------------------------


def sale_lock(*, sale_id: int) -> Sale:
    """The sale FOR UPDATE: a coordinator's change of the sale or of its pickups and slots,
    a move of an order, a pickup's closing. Waits for the order writers in flight (share)."""
    return Sale.objects.select_for_update().get(pk=sale_id)


def pickup_lock(*, pickup_id: int) -> Pickup:
    """One pickup, after the sale and the orders."""
    return Pickup.objects.select_for_update().get(pk=pickup_id)


def pickups_lock(*, pickup_ids) -> list[Pickup]:
    """Pickups by primary key, after the sale and the orders."""
    return list(Pickup.objects.filter(pk__in=list(pickup_ids)).order_by("pk").select_for_update())


def pickups_of_sale_lock(*, sale_id: int) -> list[Pickup]:
    """Every pickup of a sale, by primary key (after the sale)."""
    return list(Pickup.objects.filter(sale_id=sale_id).order_by("pk").select_for_update())


def slot_lock(*, slot_id: int) -> Slot:
    """One slot, after its pickup."""
    return Slot.objects.select_for_update().get(pk=slot_id)


def slots_lock(*, slot_ids) -> list[Slot]:
    """Slots by primary key, after the pickups."""
    return list(Slot.objects.filter(pk__in=list(slot_ids)).order_by("pk").select_for_update())


def slots_of_pickup_lock(*, pickup_id: int) -> list[Slot]:
    """Every slot of a pickup, by primary key (after the pickup)."""
    return list(Slot.objects.filter(pickup_id=pickup_id).order_by("pk").select_for_update())


def sale_items_lock(*, sale_id: int, item_ids: list[int] | None = None) -> list[SaleItem]:
    """Sale items by primary key, after the slots."""
    items = SaleItem.objects.filter(sale_id=sale_id)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    return list(items.order_by("pk").select_for_update())


def sale_pickup_slot_lock(*, slot_id: int) -> tuple[Sale, Pickup, Slot]:
    """Sale → pickup → slot above a slot, in the global order (the ids are read first,
    unlocked)."""
    sale_id, pickup_id = (
        Slot.objects.filter(pk=slot_id).values_list("pickup__sale_id", "pickup_id").get()
    )
    sale = sale_lock(sale_id=sale_id)
    pickup = pickup_lock(pickup_id=pickup_id)
    slot = slot_lock(slot_id=slot_id)
    return sale, pickup, slot


def sale_pickup_lock(*, pickup_id: int) -> tuple[Sale, Pickup]:
    """Sale → pickup, in the global order."""
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
