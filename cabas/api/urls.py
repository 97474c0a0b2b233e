from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # Anything else under /api/v1/ answers in JSON too.
    path("api/v1/<path:rest>", views.api_not_found, name="api_not_found"),
    path("accounts/tokens/", views.tokens, name="api_tokens"),
    path("accounts/tokens/<id:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
