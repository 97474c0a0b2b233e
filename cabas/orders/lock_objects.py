"""Row locks of the orders app (see ``cabas.core.lock_order`` for the global order).

Orders come right after the sale (taken in share mode by order writers, FOR UPDATE by
coordinators' changes) and before pickups, slots, sale items, shop stock and the sale's order
counter. Several orders are always locked in ascending primary key. Distribution day's changes
of orders (``fulfilment``) lock the orders concerned, then their pickup (a closed pickup
refuses them). Every helper evaluates its query at once, so the lock is taken where it is
called.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cabas.sales import lock_objects as sales_locks
from cabas.sales.models import Pickup

from .models import Order


def order_lock(*, order_id: int, related: tuple[str, ...] = ()) -> Order:
    """One order, locked FOR UPDATE. ``of=self``: only the order row is locked, never the rows
    joined by ``related`` (the sale, held in share mode by the caller — locking it again FOR
    UPDATE here would upgrade that lock and deadlock two members (commit 83cdca1))."""
    return Order.objects.select_for_update(of=("self",)).select_related(*related).get(pk=order_id)


def orders_lock(*, orders: QuerySet[Order]) -> list[Order]:
    """The orders of ``orders`` (a filtered queryset), locked in primary-key order. ``of=self``:
    a filter through the lines (a join) must not lock the lines nor anything else joined."""
    return list(orders.order_by("pk").select_for_update(of=("self",)))


def order_ids_lock(*, orders: QuerySet[Order]) -> list[int]:
    """Like ``orders_lock``, reading the primary keys only."""
    return list(orders.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True))


def order_pickup_lock(*, order_id: int) -> tuple[Order, Pickup]:
    """One order, then its pickup."""
    order = order_lock(order_id=order_id)
    pickup = sales_locks.pickup_lock(pickup_id=order.pickup_id)
    return order, pickup


def orders_pickups_lock(*, orders: QuerySet[Order]) -> tuple[list[int], list[Pickup]]:
    """The orders of ``orders`` by primary key, then the pickups they belong to by key."""
    order_ids = order_ids_lock(orders=orders)
    pickup_ids = set(Order.objects.filter(pk__in=order_ids).values_list("pickup_id", flat=True))
    return order_ids, sales_locks.pickups_lock(pickup_ids=pickup_ids)


def orders_of_pickup_lock(*, pickup_id: int, orders: QuerySet[Order]) -> tuple[list[Order], Pickup]:
    """The orders of ``orders`` (of this pickup) by primary key, then the pickup."""
    locked = orders_lock(orders=orders.filter(pickup_id=pickup_id))
    return locked, sales_locks.pickup_lock(pickup_id=pickup_id)
