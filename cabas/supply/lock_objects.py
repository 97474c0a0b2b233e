"""Row locks of the supply side (global order: ``cabas.core.lock_order``).

A reception's validation locks its purchase order (rank "purchase orders"), then the
reception (rank "receptions"), then adds the goods to the shop stock through the catalog's
conditional UPDATEs (products by primary key). Sending a purchase order locks its row only.
Each helper evaluates its query at once.
"""

from __future__ import annotations

from .models import PurchaseOrder, Reception


def purchase_order_lock(*, purchase_order_id: int, organisation_id: int) -> PurchaseOrder:
    """A purchase order's row: sending, cancelling, editing and receiving it take it in
    turn (no line changes in an order being sent, no order received twice at once)."""
    return PurchaseOrder.objects.select_for_update().get(
        pk=purchase_order_id, organisation_id=organisation_id
    )


def reception_lock(*, reception_id: int, organisation_id: int) -> Reception:
    """A reception's row: the counts of several phones and its validation take it in turn,
    so no count lands in a validated reception and it is validated once."""
    return Reception.objects.select_for_update().get(
        pk=reception_id, organisation_id=organisation_id
    )
