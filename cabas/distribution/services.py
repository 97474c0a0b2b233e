"""Distribution day: closing a pickup.

The changes of orders on distribution day (statuses, weighing, missing items, arrivals,
no-shows, corrections) are the orders' services (``cabas.orders.fulfilment`` and
``cabas.orders.corrections``, through ``cabas.orders.services``); the screens here call them.
Closing a pickup locks the sale first (it may mark the sale distributed), then the pickup's
orders by primary key, then the pickup (``lock_objects``, global order ``cabas.core.lock_order``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cabas.money import errors as money_errors
from cabas.money import selectors as money_selectors
from cabas.money import services as money_services
from cabas.orders import errors as order_errors
from cabas.orders.models import Order
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale
from cabas.work import services as work_services

from . import errors
from . import lock_objects as locks


@transaction.atomic
def pickup_close(*, pickup: Pickup, by, now: datetime | None = None) -> Pickup:
    """Close a pickup once every order is collected or a no-show and every payment's method
    is known: the amounts become final and due on the members' accounts. When all the
    sale's pickups are closed, the sale is distributed. The people on duty get their
    défraiement, if the organisation gives one (``work.services.pickup_compensations_credit``)."""
    now = now or timezone.now()
    sale, orders, pickup = locks.pickup_closing_lock(pickup_id=pickup.pk)
    if pickup.closed_at is not None:
        raise order_errors.PickupClosed()
    waiting = [o.pk for o in orders if o.status not in (*Order.DONE_STATUSES, "cancelled")]
    if waiting:
        raise errors.PickupHasOpenOrders(count=len(waiting))
    unresolved = money_selectors.unresolved_payments(pickup=pickup)
    if unresolved:
        raise money_errors.UnresolvedPayments(count=unresolved)
    Pickup.objects.filter(pk=pickup.pk).update(closed_at=now)
    Order.objects.filter(pickup=pickup).exclude(status=Order.Status.CANCELLED).update(
        finalised_at=now
    )
    money_services.order_dues_record(pickup=pickup)
    pickup.closed_at = now
    work_services.pickup_compensations_credit(pickup=pickup, now=now)
    others_open = Pickup.objects.filter(sale=sale, closed_at__isnull=True).exists()
    if not others_open and sale.status == Sale.Status.CLOSED:
        sales_services.sale_mark_distributed(sale=sale, now=now)
    return pickup


def open_orders_count(*, pickup: Pickup) -> int:
    return (
        Order.objects.filter(pickup=pickup)
        .filter(~Q(status__in=[*Order.DONE_STATUSES, Order.Status.CANCELLED]))
        .count()
    )
