from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class PickupHasOpenOrders(DomainError):
    code = "pickup_has_open_orders"
    default_message = _(
        "%(count)s orders are neither collected nor marked as no-show: finish them before "
        "closing the pickup."
    )
