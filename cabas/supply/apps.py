from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "cabas.supply"
    label = "supply"
    verbose_name = _("supply")
