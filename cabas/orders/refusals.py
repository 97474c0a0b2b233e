"""What each database constraint an order's write can break means for the member: the
services check all of these before writing; the constraints are the backstop under races,
and each refusal says its own reason."""

from __future__ import annotations

import functools

from django.db import IntegrityError

from cabas.catalog.models import Product
from cabas.core.db import FOREIGN_KEY, POSITIVE, violated_constraint
from cabas.core.errors import DomainError
from cabas.sales.models import Pickup, SaleItem, Slot

from . import errors
from .models import Order, OrderEvent, OrderLine, SaleOrderCounter

# What each database constraint an order's write can break means for the member (by the
# constraint's name in the models' Meta.constraints). The services check all of these before
# writing; the constraints are the backstop under races, and each refusal says its own reason.
CONSTRAINT_ERRORS: dict[str, type[DomainError]] = {
    "order_one_active_per_member_and_sale": errors.AlreadyOrdered,
    "order_idempotency_key_unique": errors.OrderConflict,  # a double submit: order_place replays it
    "order_number_unique": errors.OrderConflict,
    "order_total_not_negative": errors.LinesInvalid,
    "orderline_unique_item": errors.OrderConflict,
    "orderline_quantity_positive": errors.LinesInvalid,
    "orderline_amount_not_negative": errors.LinesInvalid,
    "slot_booked_within_capacity": errors.PlaceFull,
    "slot_booked_not_negative": errors.OrderConflict,
    "pickup_booked_within_capacity": errors.PlaceFull,
    "pickup_booked_not_negative": errors.OrderConflict,
    "saleitem_ordered_within_available": errors.ItemSoldOut,
    "saleitem_ordered_not_negative": errors.OrderConflict,
    "product_stock_not_negative": errors.ItemSoldOut,
    FOREIGN_KEY: errors.SomethingRemoved,
    # Counters are positive columns too (their own unnamed checks).
    POSITIVE + "booked": errors.OrderConflict,
    POSITIVE + "number": errors.OrderConflict,
    POSITIVE + "last_number": errors.OrderConflict,
}
# The models an order's write touches (SQLite names a unique constraint by its columns).
WRITTEN_MODELS = (Order, OrderLine, OrderEvent, SaleOrderCounter, Slot, Pickup, SaleItem, Product)


def constraint_refusal(exc: IntegrityError) -> DomainError:
    """The member's reason for a constraint an order's write broke. A constraint missing
    from CONSTRAINT_ERRORS is a bug: it is raised as it is."""
    name = violated_constraint(exc, WRITTEN_MODELS)
    if name not in CONSTRAINT_ERRORS:
        raise exc
    refusal = CONSTRAINT_ERRORS[name]
    return refusal(field=_REFUSAL_FIELDS.get(refusal))


_REFUSAL_FIELDS = {
    errors.ItemSoldOut: "lines",
    errors.LinesInvalid: "lines",
    errors.PlaceFull: "slot",
}


def constraint_refusals(service):
    """Around a service that changes an order: a broken constraint (rolled back with the
    service's transaction) is told as its own domain error."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except IntegrityError as exc:
            raise constraint_refusal(exc) from exc

    return wrapper
