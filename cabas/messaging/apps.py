from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cabas.sales.signals import pickup_point_moved


class MessagingConfig(AppConfig):
    name = "cabas.messaging"
    label = "messaging"
    verbose_name = _("messages to members")

    def ready(self) -> None:
        # The tasks module reads models: it is imported once the apps are loaded.
        from .reminders.tasks import pickup_point_moved_received

        # A pickup point that moved: sales sends the signal, messaging e-mails its members.
        pickup_point_moved.connect(
            pickup_point_moved_received, dispatch_uid="messaging.pickup_point_moved"
        )
