from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from cabas.site import views as site_views

urlpatterns = [
    # The JSON API first: Django tries the patterns in order, and an API call (the busiest
    # requests, a sale's rush) went through some 220 patterns of the pages before its own.
    path("", include("cabas.api.urls")),
    path("", site_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("cabas.accounts.urls")),
    path("", include("cabas.site.urls")),
    path("", include("cabas.orgs.urls")),
    path("", include("cabas.sales.urls")),
    path("", include("cabas.catalog.urls")),
    path("", include("cabas.orders.urls")),
    path("", include("cabas.distribution.urls")),
    path("", include("cabas.money.urls")),
    path("", include("cabas.work.urls")),
    path("", include("cabas.supply.urls")),
    path("", include("cabas.messaging.urls")),
    path("", include("cabas.insights.urls")),
    path("", include("cabas.dfc.urls")),
    # The e-mail provider's webhooks (bounces, complaints): anymail's views, guarded by
    # ANYMAIL_WEBHOOK_SECRET (basic auth); cabas.notifications.tracking reads the events.
    path("anymail/", include("anymail.urls")),
]

if settings.DEBUG:
    # Development only, and only the public uploads (photos, logos): a message's attachment
    # is read through its view, which checks who asks (messaging's message_attachment).
    for folder in settings.PUBLIC_MEDIA_FOLDERS:
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}"
        )
