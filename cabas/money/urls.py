from . import urls_accounts, urls_members, urls_reports

app_name = "money"

urlpatterns = urls_accounts.urlpatterns + urls_reports.urlpatterns + urls_members.urlpatterns
