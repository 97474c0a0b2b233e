"""The supply app's pages, one module per part, in one namespace ("supply:…")."""

from . import urls_imports, urls_orders, urls_pricing, urls_receptions, urls_reports, urls_suppliers

app_name = "supply"

urlpatterns = [
    *urls_suppliers.urlpatterns,
    *urls_pricing.urlpatterns,
    *urls_orders.urlpatterns,
    *urls_receptions.urlpatterns,
    *urls_reports.urlpatterns,
    *urls_imports.urlpatterns,
]
