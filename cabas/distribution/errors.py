from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class PickupClosed(DomainError):
    code = "pickup_closed"
    default_message = _("This pickup is closed: its orders can no longer be changed.")


class PickupHasOpenOrders(DomainError):
    code = "pickup_has_open_orders"
    default_message = _(
        "%(count)s orders are neither collected nor marked as no-show: finish them before "
        "closing the pickup."
    )


class PickupNotOver(DomainError):
    code = "pickup_not_over"
    default_message = _("No-shows can be marked once the pickup has ended.")


class StatusChangeInvalid(DomainError):
    code = "status_change_invalid"
    default_message = _("An order “%(current)s” cannot become “%(wanted)s”.")


class NotWeighable(DomainError):
    code = "not_weighable"
    default_message = _("Only variable-weight products are weighed.")


class WeightInvalid(DomainError):
    code = "weight_invalid"
    default_message = _("Enter a weight above zero, in kg (e.g. 1.35).")


class WeightNeedsConfirmation(DomainError):
    code = "weight_needs_confirmation"
    default_message = _(
        "%(weight)s kg is more than 100 times the estimate (%(estimate)s kg): check it, then "
        "confirm."
    )


class OrderNotActive(DomainError):
    code = "order_not_active"
    default_message = _("This order is cancelled.")


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = _("Say why (it is kept in the order's history).")


class PriceInvalid(DomainError):
    code = "price_invalid"
    default_message = _("Enter a price above zero.")


class NotArrivedYet(DomainError):
    code = "arrival_not_possible"
    default_message = _("This order cannot be marked as arrived (collected, cancelled or closed).")
