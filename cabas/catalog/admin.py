from django.contrib import admin

from .models import (
    InventoryCount,
    InventorySession,
    Producer,
    ProducerLink,
    Product,
    ProductImport,
    StockMovement,
    VatRate,
)


class ProducerLinkInline(admin.TabularInline):
    model = ProducerLink
    extra = 0


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_name", "siret", "email", "is_organic"]
    search_fields = ["name", "legal_name", "siret"]
    inlines = [ProducerLinkInline]


@admin.register(ProducerLink)
class ProducerLinkAdmin(admin.ModelAdmin):
    list_display = ["producer", "organisation", "status", "end_date"]
    list_filter = ["organisation", "status"]
    list_select_related = ["producer", "organisation"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "producer",
        "organisation",
        "price",
        "vat_rate",
        "stock_mode",
        "is_active",
    ]
    list_filter = ["organisation", "category", "stock_mode", "is_active"]
    search_fields = ["name", "reference", "producer__name"]
    list_select_related = ["producer", "organisation"]


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ["organisation", "rate"]
    list_filter = ["organisation"]


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    """The ledger is written by the stock services only (the stored stock follows it): read
    here, never added or changed."""

    list_display = ["product", "delta", "quantity_after", "reason", "note", "made_by", "created_at"]
    list_filter = ["organisation", "reason"]
    list_select_related = ["product", "made_by"]
    raw_id_fields = ["product", "made_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProductImport)
class ProductImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "organisation",
        "status",
        "total_lines",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["organisation", "status"]
    list_select_related = ["organisation", "uploaded_by"]
    exclude = ["content"]
    readonly_fields = ["errors", "preview"]


class InventoryCountInline(admin.TabularInline):
    model = InventoryCount
    extra = 0
    raw_id_fields = ["product", "counted_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InventorySession)
class InventorySessionAdmin(admin.ModelAdmin):
    """Sessions move through their services (counting, validation writes the ledger): read
    here, never added or changed."""

    list_display = ["name", "organisation", "category", "state", "created_at", "validated_at"]
    list_filter = ["organisation", "state"]
    raw_id_fields = ["started_by", "validated_by"]
    inlines = [InventoryCountInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InventoryCount)
class InventoryCountAdmin(admin.ModelAdmin):
    list_display = ["session", "product", "quantity", "counted_by", "counted_at"]
    list_filter = ["organisation"]
    list_select_related = ["session", "product", "counted_by"]
    raw_id_fields = ["session", "product", "counted_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
