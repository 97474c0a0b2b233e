"""The sales app's models: ``plans`` (pickup points, settings, closing days, schedules, the
drive) and ``sale`` (sales, pickups, slots, sale items)."""

from .plans import (
    ClosingPeriod,
    Drive,
    DriveHours,
    PickupPoint,
    SalesSettings,
    Schedule,
    SchedulePickup,
    SlotMode,
    Weekday,
)
from .sale import (
    Pickup,
    PickupQuerySet,
    Sale,
    SaleItem,
    SaleItemQuerySet,
    SaleQuerySet,
    Slot,
    SlotQuerySet,
    taking_orders_q,
)

__all__ = [
    "Weekday",
    "SlotMode",
    "PickupPoint",
    "SalesSettings",
    "ClosingPeriod",
    "Schedule",
    "SchedulePickup",
    "Drive",
    "DriveHours",
    "taking_orders_q",
    "SaleQuerySet",
    "Sale",
    "PickupQuerySet",
    "Pickup",
    "SlotQuerySet",
    "Slot",
    "SaleItemQuerySet",
    "SaleItem",
]
