"""Distribution day's changes of orders: statuses, no-shows, car-boot arrivals, weighing and
substitutions (missing items: ``missing``; coordinators' corrections after the cutoff:
``corrections``).

The distribution screens call these; every change is recorded in the order's history
(``OrderEvent``) with who and what before/after, and the order's total follows its lines.
Locks follow the global order (``cabas.core.lock_order``, helpers in ``lock_objects``): the
orders concerned by primary key, then their pickups — a closed pickup refuses every change.
The member's own changes take the sale (share), the order, then the pickup's counter, so
nothing waits crosswise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.formats import time_format

from cabas.core.dates import date_text as date_format
from cabas.core.money import ZERO, format_quantity, money_sum
from cabas.sales.models import Pickup, Sale

from . import errors, signals
from . import lock_objects as locks
from .events import order_event
from .models import Order, OrderEvent, OrderLine
from .pricing import weighed_line_amount

# The status moves a volunteer may make, from → allowed targets.
TRANSITIONS = {
    Order.Status.PLACED: {Order.Status.PICKING, Order.Status.READY, Order.Status.COLLECTED,
                          Order.Status.NO_SHOW},
    Order.Status.PICKING: {Order.Status.READY, Order.Status.PLACED},
    Order.Status.READY: {Order.Status.COLLECTED, Order.Status.NO_SHOW, Order.Status.PLACED},
    Order.Status.COLLECTED: {Order.Status.READY},  # a mistaken tap, undone
    Order.Status.NO_SHOW: {Order.Status.COLLECTED, Order.Status.READY},  # late after all
}  # fmt: skip
EVENT_OF_STATUS = {
    Order.Status.PICKING: OrderEvent.Kind.PICKING,
    Order.Status.READY: OrderEvent.Kind.READY,
    Order.Status.COLLECTED: OrderEvent.Kind.COLLECTED,
    Order.Status.NO_SHOW: OrderEvent.Kind.NO_SHOW,
    Order.Status.PLACED: OrderEvent.Kind.READY,
}
ABSURD_FACTOR = 100
# No bag weighs ten tonnes: above, the weight is refused with its limit named.
WEIGHT_LIMIT = Decimal("10000")
GRAM = Decimal("0.001")  # a weight is kept to the gram


def order_lock_open(order: Order) -> Order:
    """The order then its pickup, locked; a closed pickup or a cancelled order refuses."""
    order, pickup = locks.order_pickup_lock(order_id=order.pk)
    if pickup.closed_at is not None:
        raise errors.PickupClosed()
    if not order.is_active:
        raise errors.OrderNotActive()
    return order


def orders_lock_open(orders) -> list[int]:
    """Lock the orders (by key) then the pickups they belong to (by key); a closed pickup
    refuses. Returns the orders' keys."""
    order_ids, pickups = locks.orders_pickups_lock(orders=orders)
    if any(pickup.closed_at for pickup in pickups):
        raise errors.PickupClosed()
    return order_ids


def orders_total_refresh(order_ids: Iterable[int]) -> None:
    """Each order's total is the sum of its lines' amounts (one UPDATE for all); then
    ``signals.lines_changed`` (the apps above mark their figures of these orders stale)."""
    order_ids = list(order_ids)
    amounts = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    Order.objects.filter(pk__in=order_ids).update(total=money_sum(Subquery(amounts)))
    signals.lines_changed.send(sender=Order, order_ids=order_ids)


# --- Statuses --------------------------------------------------------------------------------


@transaction.atomic
def order_set_status(*, order: Order, status: str, by) -> Order:
    """Move an order along distribution day (to prepare → picking → ready → collected, or
    no-show), recording who did it."""
    order = order_lock_open(order)
    if status == order.status:
        return order
    if status not in TRANSITIONS.get(order.status, set()):
        raise errors.StatusChangeInvalid(
            current=order.get_status_display(), wanted=Order.Status(status).label
        )
    before = order.status
    order.status = status
    order.collected_at = timezone.now() if status == Order.Status.COLLECTED else None
    order.save(update_fields=["status", "collected_at", "updated_at"])
    order_event(order, EVENT_OF_STATUS[status], by, before=before, after=status).save()
    return order


@transaction.atomic
def pickup_mark_no_shows(*, pickup: Pickup, by, now: datetime | None = None) -> int:
    """Once the pickup has ended, every order still waiting becomes a no-show."""
    now = now or timezone.now()
    if now < pickup.ends_at:
        raise errors.PickupNotOver()
    waiting, pickup = locks.orders_of_pickup_lock(
        pickup_id=pickup.pk,
        orders=Order.objects.filter(
            status__in=[Order.Status.PLACED, Order.Status.PICKING, Order.Status.READY]
        ),
    )
    if pickup.closed_at is not None:
        raise errors.PickupClosed()
    Order.objects.filter(pk__in=[o.pk for o in waiting]).update(
        status=Order.Status.NO_SHOW, updated_at=now
    )
    OrderEvent.objects.bulk_create(
        [
            order_event(o, OrderEvent.Kind.NO_SHOW, by, before=o.status, after="no_show")
            for o in waiting
        ]
    )
    return len(waiting)


# --- Car-boot arrivals -----------------------------------------------------------------------


def arrival_window(order: Order) -> tuple[datetime, datetime]:
    """When the member may say "I have arrived": on the pickup's day (the organisation's
    clock), from ``CAR_BOOT_ARRIVAL_MINUTES_BEFORE`` before their slot (else the pickup's
    start) until the pickup ends. ``order.pickup`` and ``order.slot`` are read."""
    pickup = order.pickup
    starts_at = order.slot.starts_at if order.slot_id else pickup.starts_at
    before = timedelta(minutes=settings.CAR_BOOT_ARRIVAL_MINUTES_BEFORE)
    zone = order.organisation.tzinfo
    day = timezone.localtime(pickup.starts_at, zone).replace(hour=0, minute=0, second=0,
                                                             microsecond=0)  # fmt: skip
    return max(starts_at - before, day), pickup.ends_at


def arrival_refusal(order: Order, now: datetime | None = None) -> errors.NotArrivedYet | None:
    """Why the member cannot say "I have arrived" now, or None when they can: the point must
    offer pickup from the car, the order wait to be collected and ``now`` be in its
    ``arrival_window``. The one rule, used by the service and by the member's pages."""
    pickup = order.pickup
    if not pickup.pickup_point.car_boot_pickup:
        return errors.ArrivalNotOffered()
    if order.status in (
        Order.Status.COLLECTED,
        Order.Status.CANCELLED,
        Order.Status.NO_SHOW,
    ) or order.sale.status not in (Sale.Status.OPEN, Sale.Status.CLOSED):
        return errors.NotArrivedYet()
    now = now or timezone.now()
    opens_at, ends_at = arrival_window(order)
    if pickup.closed_at is not None or now >= ends_at:
        return errors.ArrivalTooLate()
    if now < opens_at:
        opens_at = timezone.localtime(opens_at, order.organisation.tzinfo)
        return errors.ArrivalTooEarly(
            day=date_format(opens_at, "l j F"), time=time_format(opens_at, "H:i")
        )
    return None


def arrival_offered(order: Order, now: datetime | None = None) -> bool:
    """The member's "I have arrived" link is shown: the point offers pickup from the car and
    the order still waits (today, or later: the page then says from when)."""
    refusal = arrival_refusal(order, now)
    return refusal is None or isinstance(refusal, errors.ArrivalTooEarly)


@transaction.atomic
def order_arrive(*, order: Order, note: str = "", now: datetime | None = None) -> Order:
    """The member is here, waiting in their car (``arrival_refusal`` says when they may):
    the check-in screen lists arrivals in the order they came, so a volunteer brings the
    order out."""
    order = locks.order_lock(
        order_id=order.pk, related=("pickup__pickup_point", "slot", "sale", "organisation")
    )
    refusal = arrival_refusal(order, now)
    if refusal is not None:
        raise refusal
    order.arrived_at = order.arrived_at or now or timezone.now()
    order.arrival_note = note.strip()[:200]
    order.save(update_fields=["arrived_at", "arrival_note", "updated_at"])
    order_event(order, OrderEvent.Kind.ARRIVED, order.user, note=order.arrival_note).save()
    return order


# --- Weighing, substitutions (missing items: ``missing``) ----------------------------------


@transaction.atomic
def order_line_weigh(*, line: OrderLine, weighed_kg: Decimal, by, confirm: bool = False):
    """Enter a variable-weight item's weight: its amount becomes weight × price per kg (VAT
    rate kept) and the order total follows. A weight over 100× the estimate needs
    ``confirm``."""
    if not line.variable_weight or line.price_per_kg is None:
        raise errors.NotWeighable(field="weighed_kg")
    if weighed_kg is None or weighed_kg <= 0:
        raise errors.WeightInvalid(field="weighed_kg")
    if weighed_kg >= WEIGHT_LIMIT:
        raise errors.WeightTooHigh(field="weighed_kg", maximum=WEIGHT_LIMIT)
    if weighed_kg != weighed_kg.quantize(GRAM):  # "0,0004": never rounded away unsaid
        raise errors.WeightTooPrecise(field="weighed_kg", step=format_quantity(GRAM))
    estimate = (line.estimated_weight_kg or ZERO) * line.quantity
    if estimate and weighed_kg > estimate * ABSURD_FACTOR and not confirm:
        raise errors.WeightNeedsConfirmation(
            field="weighed_kg",
            weight=format_quantity(weighed_kg),
            estimate=format_quantity(estimate),
        )
    order = order_lock_open(line.order)
    line = OrderLine.objects.get(pk=line.pk, order=order)
    before = {"weighed_kg": line.weighed_kg, "amount": line.amount}
    line.weighed_kg = weighed_kg.quantize(GRAM)
    line.amount = weighed_line_amount(line)
    line.save(update_fields=["weighed_kg", "amount", "updated_at"])
    orders_total_refresh([order.pk])
    after = {"weighed_kg": line.weighed_kg, "amount": line.amount}
    order_event(order, OrderEvent.Kind.WEIGHED, by, product=line.product_name, before=before,
           after=after).save()  # fmt: skip
    return line


@transaction.atomic
def order_line_substitute(*, line: OrderLine, note: str, by) -> OrderLine:
    """Note what replaced an item (e.g. "red onions instead of yellow")."""
    order = order_lock_open(line.order)
    line = OrderLine.objects.get(pk=line.pk, order=order)
    before = line.substitution_note
    line.substitution_note = note.strip()[:200]
    line.save(update_fields=["substitution_note", "updated_at"])
    order_event(order, OrderEvent.Kind.SUBSTITUTION, by, product=line.product_name, before=before,
           after=line.substitution_note).save()  # fmt: skip
    return line
