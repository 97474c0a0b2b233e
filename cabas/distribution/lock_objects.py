"""Row locks of distribution day (global order: ``cabas.core.lock_order``).

Distribution owns no locked model: it chains the orders' and the sales' helpers in the global
order — [sale →] orders by pk → their pickups by pk. Checking in, weighing and corrections lock
the orders then the pickup (a closed pickup refuses); closing a pickup locks the sale first,
because it may mark the sale distributed. Each helper evaluates its queries at once.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cabas.orders import lock_objects as order_locks
from cabas.orders.models import Order
from cabas.sales import lock_objects as sales_locks
from cabas.sales.models import Pickup, Sale


def order_pickup_lock(*, order_id: int) -> tuple[Order, Pickup]:
    """One order, then its pickup."""
    order = order_locks.order_lock(order_id=order_id)
    pickup = sales_locks.pickup_lock(pickup_id=order.pickup_id)
    return order, pickup


def orders_pickups_lock(*, orders: QuerySet[Order]) -> tuple[list[int], list[Pickup]]:
    """The orders of ``orders`` by primary key, then the pickups they belong to by key."""
    order_ids = order_locks.order_ids_lock(orders=orders)
    pickup_ids = set(Order.objects.filter(pk__in=order_ids).values_list("pickup_id", flat=True))
    return order_ids, sales_locks.pickups_lock(pickup_ids=pickup_ids)


def orders_of_pickup_lock(*, pickup_id: int, orders: QuerySet[Order]) -> tuple[list[Order], Pickup]:
    """The orders of ``orders`` (of this pickup) by primary key, then the pickup."""
    locked = order_locks.orders_lock(orders=orders.filter(pickup_id=pickup_id))
    return locked, sales_locks.pickup_lock(pickup_id=pickup_id)


def pickup_closing_lock(*, pickup_id: int) -> tuple[Sale, list[Order], Pickup]:
    """Closing a pickup: the sale (FOR UPDATE: closing the last pickup marks it distributed,
    and two closings of one sale must see each other), then every order of the pickup by key,
    then the pickup."""
    sale_id = Pickup.objects.filter(pk=pickup_id).values_list("sale_id", flat=True).get()
    sale = sales_locks.sale_lock(sale_id=sale_id)
    orders, pickup = orders_of_pickup_lock(pickup_id=pickup_id, orders=Order.objects.all())
    return sale, orders, pickup
