"""The messaging app's pages, one module per part, in one namespace ("messaging:…")."""

from . import urls_deliverability, urls_messages, urls_reminders

app_name = "messaging"

urlpatterns = [
    *urls_messages.urlpatterns,
    *urls_reminders.urlpatterns,
    *urls_deliverability.urlpatterns,
]
