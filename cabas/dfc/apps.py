from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DfcConfig(AppConfig):
    name = "cabas.dfc"
    label = "dfc"
    verbose_name = _("DFC interoperability")

    def ready(self):
        # Any JSON-LD processing in this process reads only the documents shipped with Cabas:
        # a context URL met in a received document must never make the server fetch it.
        from pyld import jsonld

        from .loader import load_document

        jsonld.set_document_loader(load_document)

        # The product import reads DFC catalogs too (catalog does not know the DFC).
        from .catalog_reading import register

        register()
