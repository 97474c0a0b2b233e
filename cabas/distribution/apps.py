from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cabas.sales.signals import sale_closed


class DistributionConfig(AppConfig):
    name = "cabas.distribution"
    label = "distribution"
    verbose_name = _("distribution")

    def ready(self) -> None:
        # The tasks module reads models: it is imported once the apps are loaded (Django's
        # ready() idiom), not to dodge a cycle.
        from .tasks import sale_closed_received

        # A closed sale's summaries: sales sends the signal, distribution enqueues the task.
        sale_closed.connect(sale_closed_received, dispatch_uid="distribution.sale_summaries")
