"""Every write about sales, pickups, slots, schedules and the drive.

Times: every service takes an optional ``now`` (defaults to ``timezone.now()``), so the rules
that depend on the clock are checked on the server and are testable without patching time.
Wall-clock times (a pickup on Friday 17:00) are built in the organisation's timezone with
``zoneinfo`` and stored as aware datetimes, which keeps them right across daylight-saving
changes.

Concurrency: see lock_objects.py for the lock order; counters change only with conditional
UPDATEs and ``F()`` expressions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import ngettext

from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.core.money import format_quantity
from cabas.core.tasks import enqueue_on_commit
from cabas.orgs.models import Organisation

from . import errors, lock_objects
from .models import (
    ClosingPeriod,
    Drive,
    DriveHours,
    Pickup,
    PickupPoint,
    Sale,
    SaleItem,
    SalesSettings,
    Schedule,
    SchedulePickup,
    Slot,
    SlotMode,
    Weekday,
)

# --- Time helpers ---------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def wall_clock(organisation: Organisation, day: date, at: time) -> datetime:
    """The aware datetime of a local date and time in the organisation's timezone."""
    return datetime.combine(day, at, tzinfo=organisation.tzinfo)


def local_date(organisation: Organisation, moment: datetime) -> date:
    return timezone.localtime(moment, organisation.tzinfo).date()


def _show_datetime(organisation: Organisation, moment: datetime) -> str:
    local = timezone.localtime(moment, organisation.tzinfo)
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def _show_time(organisation: Organisation, moment: datetime) -> str:
    return timezone.localtime(moment, organisation.tzinfo).strftime("%H:%M")


def _same_minute(first: datetime, second: datetime) -> bool:
    return first.replace(second=0, microsecond=0) == second.replace(second=0, microsecond=0)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _show_quantity(quantity: Decimal) -> str:
    """3.000 → "3", 2.500 → "2,5" (French): no trailing zeros that read as thousands."""
    return format_quantity(quantity)


def closed_days(organisation: Organisation, first: date, last: date) -> set[date]:
    """The organisation's closing days between two dates (inclusive)."""
    days: set[date] = set()
    periods = ClosingPeriod.objects.filter(
        organisation=organisation, first_day__lte=last, last_day__gte=first
    )
    for period in periods:
        day = max(period.first_day, first)
        while day <= min(period.last_day, last):
            days.add(day)
            day += timedelta(days=1)
    return days


# --- Task enqueueing ------------------------------------------------------------------------


def _enqueue_lifecycle(sale: Sale, now: datetime) -> None:
    """Ask the worker to look at the sale when it should open and when it should close."""
    from .tasks import sale_advance

    if sale.status == Sale.Status.SCHEDULED and sale.opens_at > now:
        enqueue_on_commit(sale_advance, run_after=sale.opens_at, sale_id=sale.pk)
    if sale.status in (Sale.Status.SCHEDULED, Sale.Status.OPEN) and sale.closes_at > now:
        enqueue_on_commit(sale_advance, run_after=sale.closes_at, sale_id=sale.pk)


# --- Pickup points and settings -------------------------------------------------------------

PICKUP_POINT_FIELDS = (
    "name",
    "address",
    "postcode",
    "town",
    "latitude",
    "longitude",
    "access_instructions",
    "contact",
    "is_active",
)


def _coordinates(fields: dict) -> dict:
    """Latitude/longitude as 6-decimal Decimals (floats and strings accepted)."""
    for name in ("latitude", "longitude"):
        value = fields.get(name)
        if value is not None and value != "":
            fields[name] = Decimal(str(value)).quantize(Decimal("0.000001"))
    return fields


@transaction.atomic
def pickup_point_create(*, organisation: Organisation, name: str, address: str, **fields):
    """Add a pickup point to the organisation."""
    unknown = set(fields) - set(PICKUP_POINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown pickup point fields: {sorted(unknown)}")
    point = PickupPoint(
        organisation=organisation, name=name, address=address, **_coordinates(fields)
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def pickup_point_update(*, pickup_point: PickupPoint, **fields) -> PickupPoint:
    """Change a pickup point; deactivating it keeps its past and planned pickups."""
    for name, value in _coordinates(fields).items():
        if name not in PICKUP_POINT_FIELDS:
            raise TypeError(f"unknown pickup point field: {name}")
        setattr(pickup_point, name, value)
    pickup_point.full_clean()
    pickup_point.save()
    return pickup_point


@transaction.atomic
def sales_settings_update(
    *, organisation: Organisation, minimum_order_amount: Decimal
) -> SalesSettings:
    """Set the organisation's default minimum order amount (0: no minimum)."""
    if minimum_order_amount is None or minimum_order_amount < 0:
        raise errors.AmountNegative(field="minimum_order_amount")
    settings = lock_objects.sales_settings_lock(organisation_id=organisation.pk)
    settings.minimum_order_amount = minimum_order_amount
    settings.save(update_fields=["minimum_order_amount", "updated_at"])
    return settings


# --- Sales ----------------------------------------------------------------------------------


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


def _check_sale_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise errors.SaleDatesInvalid(field="closes_at")


def _check_minimum(amount: Decimal | None) -> None:
    if amount is not None and amount < 0:
        raise errors.AmountNegative(field="minimum_order_amount")


@transaction.atomic
def sale_create(
    *,
    organisation: Organisation,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    minimum_order_amount: Decimal | None = None,
    note_to_members: str = "",
    kind: str = Sale.Kind.ORDER_CYCLE,
) -> Sale:
    """Create a draft sale offering, by default, every active product of every producer
    supplying the organisation."""
    _check_sale_dates(opens_at, closes_at)
    _check_minimum(minimum_order_amount)
    sale = Sale.objects.create(
        organisation=organisation,
        title=title,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        minimum_order_amount=minimum_order_amount,
        note_to_members=note_to_members,
    )
    sale_items_sync(sale=sale)
    return sale


@transaction.atomic
def sale_update(
    *,
    sale: Sale,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    minimum_order_amount: Decimal | None,
    note_to_members: str,
    now: datetime | None = None,
) -> Sale:
    """Change a sale. Dates are frozen once the sale is closed; an open sale keeps its opening
    date; a cutoff cannot move into the past nor after a pickup starts."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    # Forms show minutes: a date re-sent unchanged to the minute is the stored one.
    opens_at = sale.opens_at if _same_minute(opens_at, sale.opens_at) else opens_at
    closes_at = sale.closes_at if _same_minute(closes_at, sale.closes_at) else closes_at
    dates_changed = (opens_at, closes_at) != (sale.opens_at, sale.closes_at)
    if dates_changed and sale.dates_locked:
        raise errors.SaleDatesLocked(field="closes_at")
    _check_sale_dates(opens_at, closes_at)
    _check_minimum(minimum_order_amount)
    if sale.status == Sale.Status.OPEN and opens_at != sale.opens_at:
        raise errors.SaleAlreadyOpen(field="opens_at")
    if (
        sale.status in (Sale.Status.SCHEDULED, Sale.Status.OPEN)
        and closes_at != sale.closes_at
        and closes_at <= now
    ):
        raise errors.CutoffInPast(field="closes_at")
    if sale.kind == Sale.Kind.ORDER_CYCLE:
        early = sale.pickups.filter(starts_at__lt=closes_at).order_by("starts_at").first()
        if early is not None:
            raise errors.PickupBeforeCutoff(
                field="closes_at", closes_at=_show_datetime(sale.organisation, closes_at)
            )
    sale.title = title
    sale.opens_at = opens_at
    sale.closes_at = closes_at
    sale.minimum_order_amount = minimum_order_amount
    sale.note_to_members = note_to_members
    sale.full_clean(exclude=["organisation", "schedule", "excluded_producers"])
    sale.save()
    if dates_changed:
        _enqueue_lifecycle(sale, now)
        sale_lifecycle_advance(sale_id=sale.pk, now=now)
        sale.refresh_from_db()
    return sale


def _transition(sale: Sale, *, allowed: Iterable[str], to: str, **fields) -> Sale:
    """Move a sale to status ``to`` if it is in one of ``allowed`` (a conditional UPDATE:
    two coordinators clicking at once cannot both do it)."""
    now = fields.pop("now")
    changed = Sale.objects.filter(pk=sale.pk, status__in=list(allowed)).update(
        status=to, updated_at=now, **fields
    )
    sale.refresh_from_db()
    if not changed:
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    return sale


@transaction.atomic
def sale_schedule(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Publish a draft sale: it opens by itself at its opening date and closes at its cutoff."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status != Sale.Status.DRAFT:
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    if sale.closes_at <= now:
        raise errors.CutoffInPast(field="closes_at")
    if not sale.pickups.exists():
        raise errors.SaleHasNoPickup()
    _transition(sale, allowed=[Sale.Status.DRAFT], to=Sale.Status.SCHEDULED, now=now)
    _enqueue_lifecycle(sale, now)
    sale_lifecycle_advance(sale_id=sale.pk, now=now)
    sale.refresh_from_db()
    return sale


@transaction.atomic
def sale_unschedule(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Take a scheduled sale back to draft (it will not open by itself)."""
    return _transition(sale, allowed=[Sale.Status.SCHEDULED], to=Sale.Status.DRAFT, now=_now(now))


@transaction.atomic
def sale_open_now(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Open a draft or scheduled sale at once (its opening date becomes now)."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status not in (Sale.Status.DRAFT, Sale.Status.SCHEDULED):
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    if sale.closes_at <= now:
        raise errors.CutoffInPast(field="closes_at")
    if not sale.pickups.exists():
        raise errors.SaleHasNoPickup()
    _transition(
        sale,
        allowed=[Sale.Status.DRAFT, Sale.Status.SCHEDULED],
        to=Sale.Status.OPEN,
        now=now,
        opens_at=min(now, sale.opens_at),
        opened_at=now,
    )
    sale_items_sync(sale=sale)
    _enqueue_lifecycle(sale, now)
    return sale


@transaction.atomic
def sale_close_now(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Stop orders of an open sale now (the cutoff becomes now) and start the after-cutoff
    work."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status != Sale.Status.OPEN:
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    _transition(
        sale,
        allowed=[Sale.Status.OPEN],
        to=Sale.Status.CLOSED,
        now=now,
        closes_at=max(min(now, sale.closes_at), sale.opens_at + timedelta(seconds=1)),
        closed_at=now,
    )
    _after_close(sale)
    return sale


@transaction.atomic
def sale_mark_distributed(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Record that the orders of a closed sale were handed out."""
    return _transition(
        sale, allowed=[Sale.Status.CLOSED], to=Sale.Status.DISTRIBUTED, now=_now(now)
    )


@transaction.atomic
def sale_archive(*, sale: Sale, now: datetime | None = None) -> Sale:
    """File away a distributed (or closed) sale: it leaves the current lists."""
    return _transition(
        sale,
        allowed=[Sale.Status.CLOSED, Sale.Status.DISTRIBUTED],
        to=Sale.Status.ARCHIVED,
        now=_now(now),
    )


@transaction.atomic
def sale_delete(*, sale: Sale) -> None:
    """Delete a draft or scheduled sale in which nothing was booked. A sale prepared by a
    schedule or the drive would be prepared again: its days must be closing days first."""
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status not in (Sale.Status.DRAFT, Sale.Status.SCHEDULED):
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    pickups = lock_objects.pickups_of_sale_lock(sale_id=sale.pk)
    booked = any(pickup.booked for pickup in pickups)
    ordered = sale.items.filter(quantity_ordered__gt=0).exists()
    if booked or ordered:
        raise errors.SaleHasBookings()
    if sale.occurrence_date is not None and (sale.schedule_id or sale.kind == Sale.Kind.DRIVE):
        organisation = Organisation.objects.get(pk=sale.organisation_id)
        days = {local_date(organisation, pickup.starts_at) for pickup in pickups}
        open_days = days - closed_days(organisation, min(days), max(days)) if days else set()
        if open_days:
            raise errors.GeneratedSaleWouldReturn()
    sale.delete()


# --- Lifecycle automation -------------------------------------------------------------------


def _after_close(sale: Sale) -> None:
    from .tasks import sale_after_cutoff, sales_generate

    enqueue_on_commit(sale_after_cutoff, sale_id=sale.pk)
    # Generated sales roll forward: each close prepares the next cycles.
    enqueue_on_commit(sales_generate, organisation_id=sale.organisation_id)


@dataclass(frozen=True)
class Advance:
    """What ``sale_lifecycle_advance`` did: opened and/or closed the sale (this call only)."""

    opened: bool = False
    closed: bool = False


@transaction.atomic
def sale_lifecycle_advance(*, sale_id: int, now: datetime | None = None) -> Advance:
    """Open the sale if its opening date has come, close it if its cutoff has passed.

    Idempotent: each step is a conditional UPDATE on the status, so running it twice (two
    workers, a task and the cron command) opens or closes the sale once, and the after-cutoff
    work is enqueued once.
    """
    now = _now(now)
    opened = (
        Sale.objects.filter(pk=sale_id)
        .due_to_open(now)
        .update(status=Sale.Status.OPEN, opened_at=now, updated_at=now)
    )
    if opened:
        sale_items_sync(sale=Sale.objects.get(pk=sale_id))
    closed = (
        Sale.objects.filter(pk=sale_id)
        .due_to_close(now)
        .update(status=Sale.Status.CLOSED, closed_at=now, updated_at=now)
    )
    if closed:
        _after_close(Sale.objects.get(pk=sale_id))
    return Advance(opened=bool(opened), closed=bool(closed))


@dataclass
class SweepReport:
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)


def sales_lifecycle_sweep(*, now: datetime | None = None) -> SweepReport:
    """Open and close every sale whose time has come (all organisations)."""
    now = _now(now)
    report = SweepReport()
    due = Sale.objects.filter(
        Q(pk__in=Sale.objects.due_to_open(now)) | Q(pk__in=Sale.objects.due_to_close(now))
    )
    for sale_id in list(due.order_by("pk").values_list("pk", flat=True)):
        advance = sale_lifecycle_advance(sale_id=sale_id, now=now)
        if advance.opened:
            report.opened.append(sale_id)
        if advance.closed:
            report.closed.append(sale_id)
    return report


@transaction.atomic
def sale_after_cutoff_record(*, sale_id: int, now: datetime | None = None) -> bool:
    """The work after a sale's cutoff. For now it records when it ran (once); the producers'
    summaries and preparation lists are added by the after-cutoff issue."""
    now = _now(now)
    return bool(
        Sale.objects.filter(
            pk=sale_id, after_cutoff_at__isnull=True, status__in=Sale.DATES_LOCKED
        ).update(after_cutoff_at=now)
    )


# --- What a sale offers ---------------------------------------------------------------------


def _sale_reference_day(sale: Sale) -> date:
    """The day a producer must still be supplying to be in the sale: the first pickup's day,
    or the cutoff's day while the sale has no pickup."""
    first = sale.pickups.order_by("starts_at").values_list("starts_at", flat=True).first()
    return local_date(sale.organisation, first or sale.closes_at)


def sale_items_sync(*, sale: Sale) -> int:
    """Add to the sale every active product of every producer supplying the organisation on
    the sale's day that is not in it yet (nothing is removed). Returns how many were added."""
    day = _sale_reference_day(sale)
    supplying = (
        ProducerLink.objects.supplying_on(day)
        .filter(organisation_id=sale.organisation_id)
        .values("producer_id")
    )
    already = SaleItem.objects.filter(sale=sale).values("product_id")
    products = Product.objects.filter(
        organisation_id=sale.organisation_id, is_active=True, producer_id__in=supplying
    ).exclude(pk__in=already)
    excluded = set(sale.excluded_producers.values_list("pk", flat=True))
    items = [
        SaleItem(
            organisation_id=sale.organisation_id,
            sale=sale,
            product=product,
            is_excluded=product.producer_id in excluded,
            quantity_available=(
                product.default_quantity_per_sale
                if product.stock_mode == Product.StockMode.PER_SALE
                else None
            ),
        )
        for product in products.only("pk", "producer_id", "stock_mode", "default_quantity_per_sale")
    ]
    SaleItem.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


@transaction.atomic
def sale_producer_set_excluded(*, sale: Sale, producer: Producer, excluded: bool) -> int:
    """Leave out (or bring back) all the products of a producer in one sale."""
    if excluded:
        sale.excluded_producers.add(producer)
    else:
        sale.excluded_producers.remove(producer)
    return SaleItem.objects.filter(sale=sale, product__producer=producer).update(
        is_excluded=excluded, updated_at=timezone.now()
    )


@transaction.atomic
def sale_item_set_excluded(*, item: SaleItem, excluded: bool) -> SaleItem:
    """A coordinator leaves a product out of a sale (or brings it back)."""
    item.is_excluded = excluded
    item.save(update_fields=["is_excluded", "updated_at"])
    return item


@transaction.atomic
def sale_item_set_unavailable(*, item: SaleItem, unavailable: bool) -> SaleItem:
    """A producer marks its product unavailable for this sale (or available again)."""
    item.is_unavailable = unavailable
    item.save(update_fields=["is_unavailable", "updated_at"])
    return item


@transaction.atomic
def sale_item_set_quantity(*, item: SaleItem, quantity: Decimal | None) -> SaleItem:
    """Limit what can be ordered of a product in a sale (None: not limited); never below what
    is already ordered."""
    if quantity is not None and quantity < 0:
        raise errors.QuantityInvalid(field="quantity_available")
    locked = lock_objects.sale_items_lock(sale_id=item.sale_id, item_ids=[item.pk])[0]
    if quantity is not None and quantity < locked.quantity_ordered:
        raise errors.QuantityBelowOrdered(
            field="quantity_available", ordered=_show_quantity(locked.quantity_ordered)
        )
    SaleItem.objects.filter(pk=item.pk).update(
        quantity_available=quantity, updated_at=timezone.now()
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def sale_item_reserve(*, item_id: int, quantity: Decimal) -> SaleItem:
    """Count ``quantity`` more as ordered, if that much is left (one conditional UPDATE: safe
    without a lock, and the database refuses more than available)."""
    if quantity <= 0:
        raise errors.QuantityInvalid(field="quantity")
    sale_items_count(changes={item_id: quantity})
    return SaleItem.objects.select_related("product").get(pk=item_id)


@transaction.atomic
def sale_item_release(*, item_id: int, quantity: Decimal) -> SaleItem:
    """Give back ``quantity`` (a cancelled or reduced order line)."""
    if quantity <= 0:
        raise errors.QuantityInvalid(field="quantity")
    sale_items_count(changes={item_id: -quantity})
    return SaleItem.objects.get(pk=item_id)


# --- Pickups and slots ----------------------------------------------------------------------


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
    slots = lock_objects.slots_of_pickup_lock(pickup_id=pickup.pk)
    if layout_changed and pickup.booked:
        raise _has_bookings(pickup.booked)
    if capacity is not None and capacity < pickup.booked:
        raise _below_booked("capacity", pickup.booked)
    most_booked = max((slot.booked for slot in slots), default=0)
    if slot_capacity is not None and slot_capacity < most_booked:
        raise _below_booked("slot_capacity", most_booked)
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
    pickup.delete()


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


def _check_sale_takes_orders(sale: Sale, now: datetime) -> None:
    if sale.status != Sale.Status.OPEN or now >= sale.closes_at:
        raise errors.SaleNotOpen()


def _check_lead_time(pickup: Pickup, starts_at: datetime, now: datetime) -> None:
    # Bookable while at least the lead time remains before the start.
    if now > starts_at - pickup.lead_time:
        raise errors.SlotTooLate(minutes=str(_minutes(pickup.lead_time)))


@transaction.atomic
def slot_book(*, slot_id: int, now: datetime | None = None) -> Slot:
    """Take one place in a slot for an order: the sale is open and before its cutoff, the
    slot is open, its lead time has not passed and a place is left. Locks sale → pickup →
    slot, then changes the counters with conditional UPDATEs."""
    now = _now(now)
    sale, pickup, slot = lock_objects.sale_pickup_slot_lock(slot_id=slot_id)
    _check_sale_takes_orders(sale, now)
    if not slot.is_open:
        raise errors.SlotClosed()
    _check_lead_time(pickup, slot.starts_at, now)
    if not _take_place(pickup=pickup, slot=slot):
        raise errors.SlotFull()
    slot.refresh_from_db(fields=["booked"])
    return slot


@transaction.atomic
def slot_release(*, slot_id: int) -> Slot:
    """Give back one place of a slot (an order cancelled or moved). Allowed at any time."""
    _sale, pickup, slot = lock_objects.sale_pickup_slot_lock(slot_id=slot_id)
    if not _give_back_place(pickup=pickup, slot=slot):
        raise errors.NothingBooked()
    slot.refresh_from_db(fields=["booked"])
    return slot


@transaction.atomic
def pickup_book(*, pickup_id: int, now: datetime | None = None) -> Pickup:
    """Take one place at a pickup without slots (one capacity for the pickup, or unlimited)."""
    now = _now(now)
    sale, pickup = lock_objects.sale_pickup_lock(pickup_id=pickup_id)
    _check_sale_takes_orders(sale, now)
    if pickup.has_slots:
        raise errors.PickupHasSlots()
    _check_lead_time(pickup, pickup.starts_at, now)
    if not _take_place(pickup=pickup, slot=None):
        raise errors.PickupFull()
    pickup.refresh_from_db(fields=["booked"])
    return pickup


@transaction.atomic
def pickup_release(*, pickup_id: int) -> Pickup:
    """Give back one place at a pickup without slots."""
    _sale, pickup = lock_objects.sale_pickup_lock(pickup_id=pickup_id)
    if pickup.has_slots:
        raise errors.PickupHasSlots()
    if not _give_back_place(pickup=pickup, slot=None):
        raise errors.NothingBooked()
    pickup.refresh_from_db(fields=["booked"])
    return pickup


# --- Counters --------------------------------------------------------------------------------
# The conditional UPDATEs that hold the limits — places of slots and pickups, quantities of
# sale items — run several times in every order placed, changed or cancelled. They are
# written once, here, as plain SQL: building the same statements with the ORM cost more CPU
# than the database spends running them (docs/performance.md). Each changes one row by
# primary key, only when the limit allows it, and tells whether it did.


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
    for item_id in sorted(changes):
        delta = changes[item_id]
        if delta > 0:
            if not _counted(_ITEM_ADD, [delta, item_id, delta]):
                item = SaleItem.objects.select_related("product").get(pk=item_id)
                raise errors.SoldOut(
                    product=item.product.name, left=item.quantity_remaining, item_id=item_id
                )
        elif delta < 0:
            if not _counted(_ITEM_REMOVE, [-delta, item_id, -delta]):
                raise errors.NothingBooked()


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


# --- Closing days ---------------------------------------------------------------------------


@transaction.atomic
def closing_period_create(
    *, organisation: Organisation, first_day: date, last_day: date, reason: str = ""
) -> ClosingPeriod:
    """Add closing days: schedules and the drive create nothing on them from now on (sales
    already created stay: edit or delete them)."""
    if last_day < first_day:
        raise errors.ClosingPeriodInvalid(field="last_day")
    return ClosingPeriod.objects.create(
        organisation=organisation, first_day=first_day, last_day=last_day, reason=reason
    )


@transaction.atomic
def closing_period_delete(*, closing_period: ClosingPeriod) -> None:
    """Remove closing days."""
    closing_period.delete()


# --- Schedules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchedulePickupSpec:
    """One pickup of each cycle of a schedule (input of ``schedule_create``/``_update``)."""

    pickup_point: PickupPoint
    weekday: int
    starts_time: time
    ends_time: time
    slot_mode: str = SlotMode.SLOTS
    slot_minutes: int | None = 15
    slot_capacity: int | None = 10
    capacity: int | None = None


@dataclass
class GenerationReport:
    created: list[Sale] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _check_schedule(
    organisation: Organisation,
    *,
    every_n_weeks: int,
    weeks_ahead: int,
    opens_days_before: int,
    opens_time: time,
    closes_days_before: int,
    closes_time: time,
    pickups: Sequence[SchedulePickupSpec],
) -> None:
    from django.utils.translation import gettext as _

    if not 1 <= every_n_weeks <= 52:
        raise errors.ScheduleInvalid(_("Choose a sale every 1 to 52 weeks."), field="every_n_weeks")
    if not 1 <= weeks_ahead <= 26:
        raise errors.ScheduleInvalid(
            _("Sales can be prepared 1 to 26 weeks ahead."), field="weeks_ahead"
        )
    if (opens_days_before, -opens_time.hour * 60 - opens_time.minute) <= (
        closes_days_before,
        -closes_time.hour * 60 - closes_time.minute,
    ):
        raise errors.SaleDatesInvalid(field="closes_days_before")
    if not pickups:
        raise errors.ScheduleHasNoPickup()
    # Check each pickup on a sample day: only the local times matter here.
    sample = date(2026, 1, 5)  # a Monday
    for spec in pickups:
        if spec.pickup_point.organisation_id != organisation.pk:
            raise errors.OtherOrganisation(field="pickups")
        if not spec.pickup_point.is_active:
            raise errors.PickupPointUnavailable(field="pickups")
        day = sample + timedelta(days=spec.weekday)
        _check_slot_settings(
            organisation,
            starts_at=wall_clock(organisation, day, spec.starts_time),
            ends_at=wall_clock(organisation, day, spec.ends_time),
            slot_mode=spec.slot_mode,
            slot_minutes=spec.slot_minutes,
            slot_capacity=spec.slot_capacity,
            capacity=spec.capacity,
        )
    for i, first in enumerate(pickups):
        for second in pickups[i + 1 :]:
            if (
                first.pickup_point.pk == second.pickup_point.pk
                and first.weekday == second.weekday
                and first.starts_time < second.ends_time
                and second.starts_time < first.ends_time
            ):
                raise errors.PickupOverlap(
                    field="pickups",
                    point=first.pickup_point.name,
                    starts_at=f"{Weekday(first.weekday).label} {first.starts_time:%H:%M}",
                    ends_at=f"{first.ends_time:%H:%M}",
                )
    # The cutoff must come before the first pickup of the cycle.
    first = min(pickups, key=lambda spec: (spec.weekday, spec.starts_time))
    first_day = sample + timedelta(days=first.weekday)
    closes_at = wall_clock(
        organisation, first_day - timedelta(days=closes_days_before), closes_time
    )
    if closes_at > wall_clock(organisation, first_day, first.starts_time):
        raise errors.PickupBeforeCutoff(
            field="closes_days_before",
            closes_at=f"{Weekday(closes_at.weekday()).label} {closes_time:%H:%M}",
        )


SCHEDULE_FIELDS = (
    "name",
    "is_active",
    "every_n_weeks",
    "first_week",
    "opens_days_before",
    "opens_time",
    "closes_days_before",
    "closes_time",
    "weeks_ahead",
    "minimum_order_amount",
    "note_to_members",
)


def _schedule_save(schedule: Schedule, pickups: Sequence[SchedulePickupSpec]) -> Schedule:
    _check_minimum(schedule.minimum_order_amount)
    _check_schedule(
        schedule.organisation,
        every_n_weeks=schedule.every_n_weeks,
        weeks_ahead=schedule.weeks_ahead,
        opens_days_before=schedule.opens_days_before,
        opens_time=schedule.opens_time,
        closes_days_before=schedule.closes_days_before,
        closes_time=schedule.closes_time,
        pickups=pickups,
    )
    schedule.save()
    SchedulePickup.objects.filter(schedule=schedule).delete()
    SchedulePickup.objects.bulk_create(
        SchedulePickup(
            organisation_id=schedule.organisation_id,
            schedule=schedule,
            pickup_point=spec.pickup_point,
            weekday=spec.weekday,
            starts_time=spec.starts_time,
            ends_time=spec.ends_time,
            slot_mode=spec.slot_mode,
            slot_minutes=spec.slot_minutes if spec.slot_mode == SlotMode.SLOTS else None,
            slot_capacity=spec.slot_capacity if spec.slot_mode == SlotMode.SLOTS else None,
            capacity=spec.capacity if spec.slot_mode == SlotMode.CAPACITY else None,
        )
        for spec in pickups
    )
    return schedule


@transaction.atomic
def schedule_create(
    *,
    organisation: Organisation,
    name: str,
    first_week: date,
    pickups: Sequence[SchedulePickupSpec],
    every_n_weeks: int = 1,
    opens_days_before: int = 7,
    opens_time: time = time(8, 0),
    closes_days_before: int = 2,
    closes_time: time = time(23, 59),
    weeks_ahead: int = 4,
    minimum_order_amount: Decimal | None = None,
    note_to_members: str = "",
    is_active: bool = True,
    now: datetime | None = None,
) -> Schedule:
    """Create a recurring rule and prepare its sales for the next ``weeks_ahead`` weeks.

    Each cycle is one sale; its pickups happen on their weekdays of that week; orders open
    ``opens_days_before`` days before the first pickup at ``opens_time`` and close
    ``closes_days_before`` days before it at ``closes_time`` (local time)."""
    schedule = Schedule(
        organisation=organisation,
        name=name,
        first_week=first_week,
        every_n_weeks=every_n_weeks,
        opens_days_before=opens_days_before,
        opens_time=opens_time,
        closes_days_before=closes_days_before,
        closes_time=closes_time,
        weeks_ahead=weeks_ahead,
        minimum_order_amount=minimum_order_amount,
        note_to_members=note_to_members,
        is_active=is_active,
    )
    _schedule_save(schedule, pickups)
    if schedule.is_active:
        schedule_generate(schedule=schedule, now=now)
    return schedule


@transaction.atomic
def schedule_update(
    *, schedule: Schedule, pickups: Sequence[SchedulePickupSpec], now=None, **fields
) -> Schedule:
    """Change a schedule. Sales already created keep their dates and pickups (edit them one
    by one); the next generated ones follow the new rule."""
    schedule = lock_objects.schedule_lock(schedule_id=schedule.pk)
    for name, value in fields.items():
        if name not in SCHEDULE_FIELDS:
            raise TypeError(f"unknown schedule field: {name}")
        setattr(schedule, name, value)
    _schedule_save(schedule, pickups)
    if schedule.is_active:
        schedule_generate(schedule=schedule, now=now)
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: Schedule) -> None:
    """Delete a schedule; the sales it created stay."""
    schedule.delete()


def _week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _sale_publish(sale: Sale, now: datetime) -> Sale:
    """A generated sale is scheduled at once (and opens at once if its opening has come)."""
    Sale.objects.filter(pk=sale.pk, status=Sale.Status.DRAFT).update(
        status=Sale.Status.SCHEDULED, updated_at=now
    )
    sale.refresh_from_db()
    _enqueue_lifecycle(sale, now)
    sale_lifecycle_advance(sale_id=sale.pk, now=now)
    sale.refresh_from_db()
    return sale


@transaction.atomic
def schedule_generate(*, schedule: Schedule, now: datetime | None = None) -> GenerationReport:
    """Create the sales of the schedule's cycles whose first pickup is in the next
    ``weeks_ahead`` weeks. Idempotent (one sale per schedule and week); skips closing days,
    cycles whose cutoff has passed, and a pickup that would overlap another at its point."""
    from django.utils.translation import gettext as _

    now = _now(now)
    report = GenerationReport()
    schedule = lock_objects.schedule_lock(schedule_id=schedule.pk)
    organisation = Organisation.objects.get(pk=schedule.organisation_id)
    specs = list(schedule.pickups.select_related("pickup_point"))
    if not schedule.is_active or not specs:
        return report
    today = local_date(organisation, now)
    horizon = now + timedelta(weeks=schedule.weeks_ahead)
    anchor = _week_monday(schedule.first_week)
    this_monday = _week_monday(today)
    weeks = [this_monday + timedelta(weeks=w) for w in range(schedule.weeks_ahead + 1)]
    existing = set(
        Sale.objects.filter(schedule=schedule, occurrence_date__in=weeks).values_list(
            "occurrence_date", flat=True
        )
    )
    closed = closed_days(organisation, weeks[0], weeks[-1] + timedelta(days=6))
    for monday in weeks:
        index = (monday - anchor).days // 7
        if index < 0 or index % schedule.every_n_weeks or monday in existing:
            continue
        planned = []
        for spec in specs:
            day = monday + timedelta(days=spec.weekday)
            if day in closed:
                report.skipped.append(
                    _("%(point)s on %(day)s: closing day")
                    % {"point": spec.pickup_point.name, "day": formats.date_format(day)}
                )
                continue
            planned.append(
                (
                    spec,
                    wall_clock(organisation, day, spec.starts_time),
                    wall_clock(organisation, day, spec.ends_time),
                )
            )
        if not planned:
            continue
        first_start = min(start for _spec, start, _end in planned)
        if first_start >= horizon:
            continue
        first_day = local_date(organisation, first_start)
        opens_at = wall_clock(
            organisation,
            first_day - timedelta(days=schedule.opens_days_before),
            schedule.opens_time,
        )
        closes_at = wall_clock(
            organisation,
            first_day - timedelta(days=schedule.closes_days_before),
            schedule.closes_time,
        )
        if closes_at <= now:
            continue
        sale = Sale.objects.create(
            organisation=organisation,
            title=f"{schedule.name} · {first_day:%d/%m/%Y}",
            kind=Sale.Kind.ORDER_CYCLE,
            opens_at=opens_at,
            closes_at=closes_at,
            minimum_order_amount=schedule.minimum_order_amount,
            note_to_members=schedule.note_to_members,
            schedule=schedule,
            occurrence_date=monday,
        )
        for spec, starts_at, ends_at in planned:
            try:
                with transaction.atomic():
                    lock_objects.pickup_point_lock(pickup_point_id=spec.pickup_point.pk)
                    _pickup_create(
                        sale,
                        pickup_point=spec.pickup_point,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        slot_mode=spec.slot_mode,
                        slot_minutes=spec.slot_minutes,
                        slot_capacity=spec.slot_capacity,
                        capacity=spec.capacity,
                    )
            except errors.DomainError as error:
                report.skipped.append(f"{spec.pickup_point.name}: {error}")
        if not sale.pickups.exists():
            sale.delete()
            continue
        sale_items_sync(sale=sale)
        report.created.append(_sale_publish(sale, now))
    return report


# --- Drive ----------------------------------------------------------------------------------


@transaction.atomic
def drive_configure(
    *,
    organisation: Organisation,
    pickup_point: PickupPoint,
    slot_minutes: int = 15,
    slot_capacity: int = 1,
    lead_time_minutes: int = 120,
    days_ahead: int = 7,
    name: str = "Drive",
    is_active: bool = True,
    now: datetime | None = None,
) -> Drive:
    """Set up drive mode: where members collect, slot length and capacity, the minimum time
    between ordering and a slot, how many days ahead slots are open. The opening hours must
    still be divisible by the slot length."""
    from django.utils.translation import gettext as _

    if pickup_point.organisation_id != organisation.pk:
        raise errors.OtherOrganisation(field="pickup_point")
    if not pickup_point.is_active:
        raise errors.PickupPointUnavailable(field="pickup_point")
    if slot_minutes is None or slot_minutes < 1:
        raise errors.SlotSettingsMissing(field="slot_minutes")
    if slot_capacity is None or slot_capacity < 1:
        raise errors.CapacityNotPositive(field="slot_capacity")
    if lead_time_minutes is None or lead_time_minutes < 0:
        raise errors.QuantityInvalid(field="lead_time_minutes")
    if not 1 <= days_ahead <= 60:
        raise errors.ScheduleInvalid(
            _("Slots can be opened 1 to 60 days ahead."), field="days_ahead"
        )
    hours = DriveHours.objects.filter(organisation=organisation)
    _check_drive_ranges(
        organisation,
        [(h.weekday, h.starts_time, h.ends_time) for h in hours],
        slot_minutes=slot_minutes,
    )
    drive, _created = Drive.objects.update_or_create(
        organisation=organisation,
        defaults={
            "pickup_point": pickup_point,
            "slot_minutes": slot_minutes,
            "slot_capacity": slot_capacity,
            "lead_time_minutes": lead_time_minutes,
            "days_ahead": days_ahead,
            "name": name,
            "is_active": is_active,
        },
    )
    if drive.is_active:
        drive_generate(organisation=organisation, now=now)
    return drive


def _check_drive_ranges(
    organisation: Organisation,
    ranges: Sequence[tuple[int, time, time]],
    *,
    slot_minutes: int,
) -> None:
    by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    sample = date(2026, 1, 5)  # a Monday
    for weekday, starts, ends in ranges:
        day = sample + timedelta(days=weekday)
        _check_slot_settings(
            organisation,
            starts_at=wall_clock(organisation, day, starts),
            ends_at=wall_clock(organisation, day, ends),
            slot_mode=SlotMode.SLOTS,
            slot_minutes=slot_minutes,
            slot_capacity=1,
            capacity=None,
        )
        by_day[weekday].append((starts, ends))
    for weekday, day_ranges in by_day.items():
        day_ranges.sort()
        for (first_start, first_end), (second_start, second_end) in zip(
            day_ranges, day_ranges[1:], strict=False
        ):
            if second_start < first_end:
                raise errors.DriveHoursOverlap(
                    day=str(Weekday(weekday).label),
                    first=f"{first_start:%H:%M}-{first_end:%H:%M}",
                    second=f"{second_start:%H:%M}-{second_end:%H:%M}",
                )


def _drive_hours_replace(
    organisation: Organisation,
    hours: dict[int, Sequence[tuple[time, time]]],
    *,
    slot_minutes: int,
) -> list[DriveHours]:
    ranges = [
        (weekday, starts, ends) for weekday, day in sorted(hours.items()) for starts, ends in day
    ]
    _check_drive_ranges(organisation, ranges, slot_minutes=slot_minutes)
    DriveHours.objects.filter(organisation=organisation).delete()
    return DriveHours.objects.bulk_create(
        DriveHours(organisation=organisation, weekday=weekday, starts_time=starts, ends_time=ends)
        for weekday, starts, ends in ranges
    )


@transaction.atomic
def drive_hours_set(
    *,
    organisation: Organisation,
    hours: dict[int, Sequence[tuple[time, time]]],
    now: datetime | None = None,
) -> list[DriveHours]:
    """Replace the drive's opening hours: ``{weekday: [(start, end), ...]}`` (0 = Monday).
    Ranges of a day must not overlap and the slot length must divide each of them. Days
    already prepared keep their slots; the next ones follow the new hours."""
    drive = Drive.objects.filter(organisation=organisation).first()
    created = _drive_hours_replace(
        organisation, hours, slot_minutes=drive.slot_minutes if drive else 15
    )
    if drive is not None and drive.is_active:
        drive_generate(organisation=organisation, now=now)
    return created


@transaction.atomic
def drive_save(
    *,
    organisation: Organisation,
    hours: dict[int, Sequence[tuple[time, time]]],
    pickup_point: PickupPoint,
    slot_minutes: int,
    slot_capacity: int,
    lead_time_minutes: int,
    days_ahead: int,
    name: str = "Drive",
    is_active: bool = True,
    now: datetime | None = None,
) -> Drive:
    """The drive screen in one go: opening hours and settings, all or nothing."""
    if slot_minutes is None or slot_minutes < 1:
        raise errors.SlotSettingsMissing(field="slot_minutes")
    _drive_hours_replace(organisation, hours, slot_minutes=slot_minutes)
    return drive_configure(
        organisation=organisation,
        pickup_point=pickup_point,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        lead_time_minutes=lead_time_minutes,
        days_ahead=days_ahead,
        name=name,
        is_active=is_active,
        now=now,
    )


@transaction.atomic
def drive_generate(*, organisation: Organisation, now: datetime | None = None) -> GenerationReport:
    """Prepare one drive sale per opening day in the next ``days_ahead`` days (idempotent,
    closing days skipped). Each opening range becomes a pickup with its slots; a slot is
    bookable until the lead time before it starts, and the sale closes when the last slot no
    longer can be booked."""
    now = _now(now)
    report = GenerationReport()
    drive = lock_objects.active_drive_lock(organisation_id=organisation.pk)
    if drive is None:
        return report
    hours: dict[int, list[DriveHours]] = defaultdict(list)
    for opening in DriveHours.objects.filter(organisation=organisation):
        hours[opening.weekday].append(opening)
    if not hours:
        return report
    today = local_date(organisation, now)
    days = [today + timedelta(days=n) for n in range(drive.days_ahead)]
    existing = set(
        Sale.objects.filter(
            organisation=organisation, kind=Sale.Kind.DRIVE, occurrence_date__in=days
        ).values_list("occurrence_date", flat=True)
    )
    closed = closed_days(organisation, days[0], days[-1])
    length = timedelta(minutes=drive.slot_minutes)
    for day in days:
        if day in existing or day in closed or day.weekday() not in hours:
            continue
        ranges = [
            (
                wall_clock(organisation, day, h.starts_time),
                wall_clock(organisation, day, h.ends_time),
            )
            for h in sorted(hours[day.weekday()], key=lambda h: h.starts_time)
        ]
        closes_at = ranges[-1][1] - length - drive.lead_time
        if closes_at <= now:
            continue
        opens_at = min(
            wall_clock(organisation, day - timedelta(days=drive.days_ahead), time(0, 0)),
            closes_at - timedelta(minutes=1),
        )
        sale = Sale.objects.create(
            organisation=organisation,
            title=f"{drive.name} · {day:%d/%m/%Y}",
            kind=Sale.Kind.DRIVE,
            opens_at=opens_at,
            closes_at=closes_at,
            occurrence_date=day,
        )
        for starts_at, ends_at in ranges:
            try:
                with transaction.atomic():
                    lock_objects.pickup_point_lock(pickup_point_id=drive.pickup_point_id)
                    _pickup_create(
                        sale,
                        pickup_point=drive.pickup_point,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        slot_mode=SlotMode.SLOTS,
                        slot_minutes=drive.slot_minutes,
                        slot_capacity=drive.slot_capacity,
                        lead_time=drive.lead_time,
                    )
            except errors.DomainError as error:
                report.skipped.append(f"{formats.date_format(day)}: {error}")
        if not sale.pickups.exists():
            sale.delete()
            continue
        sale_items_sync(sale=sale)
        report.created.append(_sale_publish(sale, now))
    return report


# --- Everything at once (cron, worker) ------------------------------------------------------


@dataclass
class TickReport:
    created: int = 0
    opened: int = 0
    closed: int = 0
    skipped: list[str] = field(default_factory=list)


def sales_generate_for_organisation(
    *, organisation: Organisation, now: datetime | None = None
) -> GenerationReport:
    """Run every active schedule and the drive of one organisation."""
    now = _now(now)
    report = GenerationReport()
    for schedule in Schedule.objects.filter(organisation=organisation, is_active=True):
        partial_report = schedule_generate(schedule=schedule, now=now)
        report.created += partial_report.created
        report.skipped += partial_report.skipped
    partial_report = drive_generate(organisation=organisation, now=now)
    report.created += partial_report.created
    report.skipped += partial_report.skipped
    return report


def sales_tick(*, now: datetime | None = None) -> TickReport:
    """Prepare the coming sales of every active organisation, then open and close every sale
    whose time has come. Safe to run as often as wanted (cron every minute)."""
    now = _now(now)
    report = TickReport()
    organisation_ids = set(
        Schedule.objects.filter(is_active=True).values_list("organisation_id", flat=True)
    ) | set(Drive.objects.filter(is_active=True).values_list("organisation_id", flat=True))
    for organisation in Organisation.objects.filter(pk__in=organisation_ids, is_active=True):
        generated = sales_generate_for_organisation(organisation=organisation, now=now)
        report.created += len(generated.created)
        report.skipped += generated.skipped
    sweep = sales_lifecycle_sweep(now=now)
    report.opened = len(sweep.opened)
    report.closed = len(sweep.closed)
    return report
