from django.urls import path

from . import views

app_name = "dfc"

urlpatterns = [
    path("api/dfc/enterprises/<slug:slug>", views.enterprise, name="enterprise"),
    # Anything else under /api/dfc/ answers in JSON too.
    path("api/dfc/<path:rest>", views.not_found, name="not_found"),
]
