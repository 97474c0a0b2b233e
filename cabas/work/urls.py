"""The work app's pages, one module per part, in one namespace ("work:…")."""

from . import urls_calendar, urls_duties, urls_manage, urls_reports, urls_shifts

app_name = "work"

urlpatterns = [
    *urls_duties.urlpatterns,
    *urls_manage.urlpatterns,
    *urls_calendar.urlpatterns,
    *urls_shifts.urlpatterns,
    *urls_reports.urlpatterns,
]
