"""The pickups of a sale (a pickup point on a date, with opening hours) and their slots."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import ngettext

from cabas.orgs.models import Organisation

from .. import errors, lock_objects, signals
from ..models import Pickup, PickupPoint, Sale, Slot, SlotMode
from .clock import _minutes, _show_datetime, _show_time


def _has_bookings(count: int) -> errors.PickupHasBookings:
    return errors.PickupHasBookings(
        ngettext(
            "%(count)s order is booked at this pickup: move or cancel it first.",
            "%(count)s orders are booked at this pickup: move or cancel them first.",
            count,
        ),
        count=count,
    )


def _below_booked(field: str, booked: int) -> errors.CapacityBelowBooked:
    return errors.CapacityBelowBooked(
        ngettext(
            "%(booked)s order is already booked: the capacity cannot be lower than %(booked)s.",
            "%(booked)s orders are already booked: the capacity cannot be lower than %(booked)s.",
            booked,
        ),
        field=field,
        booked=booked,
    )


def _check_slot_settings(
    organisation: Organisation,
    *,
    starts_at: datetime,
    ends_at: datetime,
    slot_mode: str,
    slot_minutes: int | None,
    slot_capacity: int | None,
    capacity: int | None,
) -> None:
    if ends_at <= starts_at:
        raise errors.PickupHoursInvalid(field="ends_at")
    if slot_mode == SlotMode.SLOTS:
        if not slot_minutes or slot_capacity is None:
            raise errors.SlotSettingsMissing(field="slot_minutes")
        if slot_capacity < 1:
            raise errors.CapacityNotPositive(field="slot_capacity")
        total = _minutes(ends_at - starts_at)
        if (ends_at - starts_at) % timedelta(minutes=slot_minutes):
            raise errors.SlotLengthMismatch(
                field="slot_minutes",
                minutes=str(slot_minutes),
                starts=_show_time(organisation, starts_at),
                ends=_show_time(organisation, ends_at),
                total=str(total),
            )
    elif slot_mode == SlotMode.CAPACITY:
        if capacity is None or capacity < 1:
            raise errors.CapacityNotPositive(field="capacity")


def _check_no_overlap(
    organisation: Organisation,
    *,
    pickup_point: PickupPoint,
    starts_at: datetime,
    ends_at: datetime,
    exclude_pk: int | None = None,
) -> None:
    overlapping = Pickup.objects.overlapping(
        pickup_point_id=pickup_point.pk, starts_at=starts_at, ends_at=ends_at
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.order_by("starts_at").first()
    if other is not None:
        raise errors.PickupOverlap(
            field="starts_at",
            point=pickup_point.name,
            starts_at=_show_datetime(organisation, other.starts_at),
            ends_at=_show_time(organisation, other.ends_at),
        )


def _check_pickup(
    sale: Sale,
    *,
    pickup_point: PickupPoint,
    starts_at: datetime,
    ends_at: datetime,
    slot_mode: str,
    slot_minutes: int | None,
    slot_capacity: int | None,
    capacity: int | None,
    exclude_pk: int | None = None,
) -> None:
    organisation = sale.organisation
    if pickup_point.organisation_id != sale.organisation_id:
        raise errors.OtherOrganisation(field="pickup_point")
    if not pickup_point.is_active:
        raise errors.PickupPointUnavailable(field="pickup_point")
    if sale.dates_locked:
        raise errors.SaleDatesLocked()
    _check_slot_settings(
        organisation,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_mode=slot_mode,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        capacity=capacity,
    )
    # In a drive, each slot has its own cutoff (the lead time); otherwise the whole sale does.
    if sale.kind == Sale.Kind.ORDER_CYCLE and starts_at < sale.closes_at:
        raise errors.PickupBeforeCutoff(
            field="starts_at", closes_at=_show_datetime(organisation, sale.closes_at)
        )
    _check_no_overlap(
        organisation,
        pickup_point=pickup_point,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_pk=exclude_pk,
    )


def _slots_build(pickup: Pickup) -> list[Slot]:
    """The slots of a pickup in slot mode: back to back from its start, ``slot_minutes`` long
    (real minutes, so a range across a daylight-saving change keeps its true length)."""
    if pickup.slot_mode != SlotMode.SLOTS:
        return []
    length = timedelta(minutes=pickup.slot_minutes)
    slots = []
    start = pickup.starts_at
    while start + length <= pickup.ends_at:
        slots.append(
            Slot(
                organisation_id=pickup.organisation_id,
                pickup=pickup,
                starts_at=start,
                ends_at=start + length,
                capacity=pickup.slot_capacity,
            )
        )
        start += length
    return slots


def _pickup_create(
    sale: Sale,
    *,
    pickup_point: PickupPoint,
    starts_at: datetime,
    ends_at: datetime,
    slot_mode: str = SlotMode.SLOTS,
    slot_minutes: int | None = None,
    slot_capacity: int | None = None,
    capacity: int | None = None,
    lead_time: timedelta = timedelta(0),
) -> Pickup:
    """The caller holds the pickup point's lock (taken before the sale's)."""
    _check_pickup(
        sale,
        pickup_point=pickup_point,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_mode=slot_mode,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        capacity=capacity,
    )
    slotted = slot_mode == SlotMode.SLOTS
    pickup = Pickup.objects.create(
        organisation_id=sale.organisation_id,
        sale=sale,
        pickup_point=pickup_point,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_mode=slot_mode,
        slot_minutes=slot_minutes if slotted else None,
        slot_capacity=slot_capacity if slotted else None,
        capacity=capacity if slot_mode == SlotMode.CAPACITY else None,
        lead_time=lead_time,
    )
    Slot.objects.bulk_create(_slots_build(pickup))
    # The apps above (the duties of a pickup) do their part once the pickup exists for good.
    transaction.on_commit(
        partial(signals.pickups_saved.send, sender=Pickup, pickup_ids=[pickup.pk])
    )
    return pickup


@transaction.atomic
def pickup_create(
    *,
    sale: Sale,
    pickup_point: PickupPoint,
    starts_at: datetime,
    ends_at: datetime,
    slot_mode: str = SlotMode.SLOTS,
    slot_minutes: int | None = None,
    slot_capacity: int | None = None,
    capacity: int | None = None,
    lead_time: timedelta = timedelta(0),
) -> Pickup:
    """Add a pickup to a sale, with its slots. It starts after the cutoff (order cycles), does
    not overlap another pickup at the same point, and its slots fill its hours exactly."""
    lock_objects.pickup_point_lock(pickup_point_id=pickup_point.pk)  # organisation level: first
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    return _pickup_create(
        sale,
        pickup_point=pickup_point,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_mode=slot_mode,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        capacity=capacity,
        lead_time=lead_time,
    )


def _check_pickup_bookings(
    pickup: Pickup, *, layout_changed: bool, capacity: int | None, slot_capacity: int | None
) -> None:
    """What is booked stays: no new layout while booked, no capacity below the bookings.
    Locks the pickup's slots (the caller holds the sale and the pickup)."""
    slots = lock_objects.slots_of_pickup_lock(pickup_id=pickup.pk)
    if layout_changed and pickup.booked:
        raise _has_bookings(pickup.booked)
    if capacity is not None and capacity < pickup.booked:
        raise _below_booked("capacity", pickup.booked)
    most_booked = max((slot.booked for slot in slots), default=0)
    if slot_capacity is not None and slot_capacity < most_booked:
        raise _below_booked("slot_capacity", most_booked)


@transaction.atomic
def pickup_update(
    *,
    pickup: Pickup,
    pickup_point: PickupPoint,
    starts_at: datetime,
    ends_at: datetime,
    slot_mode: str,
    slot_minutes: int | None = None,
    slot_capacity: int | None = None,
    capacity: int | None = None,
) -> Pickup:
    """Change a pickup. Its place, hours or slot layout can change only while nothing is
    booked (the slots are then rebuilt); capacities never go below what is booked."""
    lock_objects.pickup_point_lock(pickup_point_id=pickup_point.pk)  # organisation level: first
    sale, pickup = lock_objects.sale_pickup_lock(pickup_id=pickup.pk)
    slotted = slot_mode == SlotMode.SLOTS
    slot_minutes = slot_minutes if slotted else None
    slot_capacity = slot_capacity if slotted else None
    capacity = capacity if slot_mode == SlotMode.CAPACITY else None
    _check_pickup(
        sale,
        pickup_point=pickup_point,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_mode=slot_mode,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        capacity=capacity,
        exclude_pk=pickup.pk,
    )
    layout_changed = (
        pickup.pickup_point_id != pickup_point.pk
        or pickup.starts_at != starts_at
        or pickup.ends_at != ends_at
        or pickup.slot_mode != slot_mode
        or pickup.slot_minutes != slot_minutes
    )
    _check_pickup_bookings(
        pickup, layout_changed=layout_changed, capacity=capacity, slot_capacity=slot_capacity
    )
    pickup.pickup_point = pickup_point
    pickup.starts_at = starts_at
    pickup.ends_at = ends_at
    pickup.slot_mode = slot_mode
    pickup.slot_minutes = slot_minutes
    pickup.slot_capacity = slot_capacity
    pickup.capacity = capacity
    pickup.save()
    if layout_changed:
        Slot.objects.filter(pickup=pickup).delete()
        Slot.objects.bulk_create(_slots_build(pickup))
        # The duties of the pickup follow its point and hours (the work app's part).
        transaction.on_commit(
            partial(signals.pickups_saved.send, sender=Pickup, pickup_ids=[pickup.pk])
        )
    elif slot_capacity is not None:
        Slot.objects.filter(pickup=pickup).update(capacity=slot_capacity, updated_at=timezone.now())
    return pickup


@transaction.atomic
def pickup_delete(*, pickup: Pickup) -> None:
    """Remove a pickup with nothing booked (orders must be moved or cancelled first)."""
    sale, pickup = lock_objects.sale_pickup_lock(pickup_id=pickup.pk)
    if sale.dates_locked:
        raise errors.SaleDatesLocked()
    if pickup.booked:
        raise _has_bookings(pickup.booked)
    try:
        pickup.delete()
    except ProtectedError as exc:  # cancelled orders still name it (Order.pickup is PROTECT)
        raise errors.PickupHasOrderHistory() from exc


@transaction.atomic
def slot_add(*, pickup: Pickup, starts_at: datetime, ends_at: datetime, capacity: int) -> Slot:
    """Add one slot to a pickup with slots, within its hours and overlapping no other slot."""
    sale, pickup = lock_objects.sale_pickup_lock(pickup_id=pickup.pk)
    organisation = sale.organisation
    if sale.dates_locked:
        raise errors.SaleDatesLocked()
    if not pickup.has_slots:
        raise errors.PickupWithoutSlots()
    if capacity is None or capacity < 1:
        raise errors.CapacityNotPositive(field="capacity")
    if ends_at <= starts_at:
        raise errors.PickupHoursInvalid(field="starts_at")
    if starts_at < pickup.starts_at or ends_at > pickup.ends_at:
        raise errors.SlotOutsidePickup(
            field="starts_at",
            starts=_show_time(organisation, pickup.starts_at),
            ends=_show_time(organisation, pickup.ends_at),
        )
    slots = lock_objects.slots_of_pickup_lock(pickup_id=pickup.pk)
    for other in slots:
        if other.starts_at < ends_at and starts_at < other.ends_at:
            raise errors.SlotOverlap(
                field="starts_at", starts=_show_time(organisation, other.starts_at)
            )
    return Slot.objects.create(
        organisation_id=pickup.organisation_id,
        pickup=pickup,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
    )


@transaction.atomic
def slot_set_capacity(*, slot: Slot, capacity: int) -> Slot:
    """Change one slot's capacity; it can never go below the orders already booked in it."""
    _sale, _pickup, slot = lock_objects.sale_pickup_slot_lock(slot_id=slot.pk)
    if capacity is None or capacity < 1:
        raise errors.CapacityNotPositive(field="capacity")
    if capacity < slot.booked:
        raise _below_booked("capacity", slot.booked)
    changed = Slot.objects.filter(pk=slot.pk, booked__lte=capacity).update(
        capacity=capacity, updated_at=timezone.now()
    )
    slot.refresh_from_db()
    if not changed:  # pragma: no cover - the lock makes this impossible
        raise _below_booked("capacity", slot.booked)
    return slot


@transaction.atomic
def slot_set_open(*, slot: Slot, is_open: bool) -> Slot:
    """Close a slot to new bookings (what is booked stays) or open it again."""
    _sale, _pickup, slot = lock_objects.sale_pickup_slot_lock(slot_id=slot.pk)
    slot.is_open = is_open
    slot.save(update_fields=["is_open", "updated_at"])
    return slot
