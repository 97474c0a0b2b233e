from django.contrib import admin

from .models import Invitation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "join_policy", "members_only", "is_active"]
    list_filter = ["kind", "join_policy", "members_only", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "organisation",
        "status",
        "is_coordinator",
        "is_volunteer",
        "is_supply",
        "is_producer",
    ]
    list_filter = [
        "organisation",
        "status",
        "is_coordinator",
        "is_volunteer",
        "is_producer",
        "is_supply",
    ]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user", "producer", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "expires_at", "accepted_at", "revoked"]
    list_filter = ["organisation", "revoked"]
    search_fields = ["email"]
    raw_id_fields = ["invited_by", "accepted_by"]
    list_select_related = ["organisation"]
