"""Row locks of distribution day (global order: ``cabas.core.lock_order``).

Distribution owns no locked model, and its changes of orders are the orders' services (they
lock through ``cabas.orders.lock_objects``: orders by pk, then their pickups). Closing a
pickup, which stays here, locks the sale first, because it may mark the sale distributed,
then the pickup's orders and the pickup with the orders' helper. Each helper evaluates its
queries at once.
"""

from __future__ import annotations

from cabas.orders import lock_objects as order_locks
from cabas.orders.models import Order
from cabas.sales import lock_objects as sales_locks
from cabas.sales.models import Pickup, Sale


def pickup_closing_lock(*, pickup_id: int) -> tuple[Sale, list[Order], Pickup]:
    """Closing a pickup: the sale (FOR UPDATE: closing the last pickup marks it distributed,
    and two closings of one sale must see each other), then every order of the pickup by key,
    then the pickup."""
    sale_id = Pickup.objects.filter(pk=pickup_id).values_list("sale_id", flat=True).get()
    sale = sales_locks.sale_lock(sale_id=sale_id)
    orders, pickup = order_locks.orders_of_pickup_lock(
        pickup_id=pickup_id, orders=Order.objects.all()
    )
    return sale, orders, pickup
