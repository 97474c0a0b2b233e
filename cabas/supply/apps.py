from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "cabas.supply"
    label = "supply"
    verbose_name = _("supply")

    def ready(self) -> None:
        # Stock is valued at the main suppliers' purchase prices wherever the catalog values
        # it (stock value, losses, inventories' differences): one rule, registered here
        # because the catalog lies below the suppliers.
        from cabas.catalog.stock_reports import cost_rule_register

        from .costs import purchase_costs

        cost_rule_register(purchase_costs)
