from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "cabas.orders"
    label = "orders"
    verbose_name = _("orders")

    def ready(self) -> None:
        # The e-mail tasks (and the calendar library their .ics needs) load with the app, not
        # in the first order each server process takes: the bench saw that import in the
        # middle of the rush, 7 % of the servers' CPU in its first seconds.
        from . import tasks  # noqa: F401
