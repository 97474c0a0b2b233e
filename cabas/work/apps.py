from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cabas.sales.signals import pickups_saved


class WorkConfig(AppConfig):
    name = "cabas.work"
    label = "work"
    verbose_name = _("duties and shifts")

    def ready(self) -> None:
        # The tasks module reads models: it is imported once the apps are loaded.
        from .tasks import pickups_saved_received

        # A new pickup's duties: sales sends the signal, work enqueues the generation.
        pickups_saved.connect(pickups_saved_received, dispatch_uid="work.pickup_duties")
