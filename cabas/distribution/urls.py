from . import urls_checkin, urls_sheets, urls_summaries

app_name = "distribution"

urlpatterns = urls_checkin.urlpatterns + urls_summaries.urlpatterns + urls_sheets.urlpatterns
