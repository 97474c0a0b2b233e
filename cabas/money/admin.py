from django.contrib import admin

from .models import AccountEntry, MemberImport, MembershipPeriod, MoneySettings, ShareMovement


@admin.register(MoneySettings)
class MoneySettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "membership_fee", "share_price", "commission_percent"]


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(admin.ModelAdmin):
    list_display = ["membership", "starts_on", "ends_on", "fee", "paid_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["membership"]


@admin.register(ShareMovement)
class ShareMovementAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "quantity", "unit_price", "on"]
    list_filter = ["organisation", "kind"]
    raw_id_fields = ["user", "counterpart", "recorded_by"]


@admin.register(AccountEntry)
class AccountEntryAdmin(admin.ModelAdmin):
    """Read only: entries are written by the money services and never edited."""

    list_display = ["created_at", "user", "kind", "amount", "method", "reference"]
    list_filter = ["organisation", "kind", "method"]
    search_fields = ["user__email", "reference"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberImport)
class MemberImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "organisation", "status", "uploaded_by", "created_at"]
    list_filter = ["organisation", "status"]
    list_select_related = ["organisation", "uploaded_by"]
    exclude = ["content"]
    readonly_fields = ["lines", "errors"]
