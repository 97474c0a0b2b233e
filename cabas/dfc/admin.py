"""The DFC side in the back office: read only, written by the services (tokens are made on
the organisation's DFC connections page; a token can be revoked here by setting its date)."""

from django.contrib import admin

from .models import CatalogSource, DfcToken, ExternalOrder


class _ServicesWrite(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False


@admin.register(DfcToken)
class DfcTokenAdmin(_ServicesWrite):
    list_display = ["prefix", "name", "organisation", "user", "created_at", "last_used_at"]
    list_filter = ["revoked_at", "organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["prefix", "name", "user__email"]
    readonly_fields = [
        "organisation",
        "user",
        "name",
        "scopes",
        "prefix",
        "created_at",
        "last_used_at",
    ]
    fields = [*readonly_fields, "revoked_at"]


@admin.register(ExternalOrder)
class ExternalOrderAdmin(_ServicesWrite):
    list_display = ["external_id", "organisation", "order", "created_at"]
    list_select_related = ["organisation", "order"]
    search_fields = ["external_id"]
    readonly_fields = ["organisation", "order", "external_id", "token"]


@admin.register(CatalogSource)
class CatalogSourceAdmin(_ServicesWrite):
    list_display = ["producer", "organisation", "url", "refresh", "next_refresh_at"]
    list_select_related = ["producer", "organisation"]
    readonly_fields = [
        "organisation",
        "producer",
        "url",
        "refresh",
        "next_refresh_at",
        "last_import",
        "last_error",
        "created_by",
    ]
