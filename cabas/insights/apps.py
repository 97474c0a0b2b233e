from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cabas.orders.signals import lines_changed
from cabas.sales.signals import sale_closed


class InsightsConfig(AppConfig):
    name = "cabas.insights"
    label = "insights"
    verbose_name = _("activity dashboards")

    def ready(self) -> None:
        # The tasks module reads models: imported once the apps are loaded.
        from .tasks import lines_changed_received, sale_closed_received

        # A closed sale's rollup: written after the sale closes, stale after any change.
        sale_closed.connect(sale_closed_received, dispatch_uid="insights.rollup_closed")
        lines_changed.connect(lines_changed_received, dispatch_uid="insights.rollup_stale")
