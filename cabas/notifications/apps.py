from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cabas.notifications"
    label = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        from anymail.signals import tracking

        from .tracking import tracking_event_receive

        tracking.connect(tracking_event_receive, dispatch_uid="cabas.notifications.tracking")
