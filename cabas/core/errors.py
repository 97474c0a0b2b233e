"""Domain errors: what a person can cause, with a stable code and a readable message.

Each app defines its own subclasses in ``errors.py``; views and the API turn them into a
message for the user (web) or ``{"code": ..., "detail": ...}`` (API).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# The HTTP status of each refusal's code, for the APIs that tell it (/api/v1 and the DFC
# API's orders): 409 when the request is well formed but the state refuses it, 422 when the
# request itself is not acceptable.
HTTP_STATUS = {
    "unauthorized": 401,
    "forbidden": 403,
    "not_a_member": 403,
    "shift_status_blocked": 403,
    "not_found": 404,
    "sale_closed": 409,
    "out_of_stock": 409,
    "slot_full": 409,
    "already_ordered": 409,
    "order_not_editable": 409,
    "order_conflict": 409,
    "validation_error": 422,
    "below_minimum": 422,
    "too_many_requests": 429,
    # Distribution day's refusals (orders' fulfilment services; no endpoint raises them yet).
    "pickup_closed": 409,
    "pickup_not_over": 409,
    "status_change_invalid": 409,
    "order_not_active": 409,
    "arrival_not_possible": 409,
    "not_weighable": 422,
    "weight_invalid": 422,
    "weight_needs_confirmation": 422,
    "reason_required": 422,
    "price_invalid": 422,
}


class Amount(Decimal):
    """A sum of money passed to a refusal's message: written with its cents and currency sign
    ("12,50 €"). Marked where the error is raised; every other Decimal is a quantity."""

    __slots__ = ()


class Quantity(Decimal):
    """A quantity passed to a refusal's message with the unit it counts
    (``cabas.core.quantities.Unit``): written by the one quantity formatter with its unit
    ("19 kg", "9,5 kg", "3 bottes"). Its value stays a plain number ("9.5"), which the API
    returns as it is."""

    __slots__ = ("unit",)

    def __new__(cls, value, unit=None):
        from .money import plain_quantity

        quantity = super().__new__(cls, plain_quantity(value))
        quantity.unit = unit
        return quantity


class DomainError(Exception):
    code: str = "error"
    default_message = _("This action is not possible.")

    def __init__(self, message=None, *, field: str | None = None, **params):
        self.message = message or self.default_message
        self.field = field
        self.params = params
        super().__init__(str(self.message))

    def __str__(self) -> str:
        text = str(self.message)
        if not self.params:
            return text
        # Numbers read as people write them in the active language, by the one formatters: a
        # value marked Amount where the error is raised is money, with its cents, thousands
        # and currency sign ("12,50 €": the message has no "€" of its own); any other Decimal
        # is a quantity, without trailing zeros (9.500 → 9,5; 2.50 → 2,5, never "2,50 €"),
        # with its unit when it is marked Quantity ("9,5 kg").
        # The params themselves stay plain values (the API returns them as they are).
        from .money import format_money, format_quantity

        def shown(value):
            if not isinstance(value, Decimal) or not value.is_finite():
                return value
            if isinstance(value, Amount):
                return format_money(value)
            return format_quantity(value, getattr(value, "unit", None))

        return text % {key: shown(value) for key, value in self.params.items()}
