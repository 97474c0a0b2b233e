"""Tokens in the back office: revocation, and creation for a person (the secret is shown
once, in a message; it is never stored)."""

import secrets

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import ApiToken
from .services import hash_secret


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__email"]
    raw_id_fields = ["user"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name"]
        return ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "name", "prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = secrets.token_urlsafe(32)
            obj.key_hash, obj.prefix = hash_secret(secret), secret[:8]
            messages.warning(
                request,
                _("The token's secret, shown only now: %(secret)s") % {"secret": secret},
            )
        super().save_model(request, obj, form, change)
