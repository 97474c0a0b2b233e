"""The supply side in the back office. Suppliers, their items, coefficients and settings can
be fixed here; purchase orders, receptions, proposed prices and price lists move through
their services (numbers, stock, e-mails): read here, never added or changed."""

from django.contrib import admin

from .models import (
    PriceCoefficient,
    PriceProposal,
    PurchaseOrder,
    PurchaseOrderLine,
    Reception,
    ReceptionLine,
    Supplier,
    SupplierItem,
    SupplierPriceImport,
    SupplySettings,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupplySettings)
class SupplySettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "default_coefficient", "rounding_step", "target_cover_days"]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "order_email", "is_active"]
    list_filter = ["organisation", "kind", "is_active"]
    search_fields = ["name", "order_email"]
    raw_id_fields = ["producer"]


@admin.register(SupplierItem)
class SupplierItemAdmin(admin.ModelAdmin):
    list_display = ["product", "supplier", "reference", "purchase_price", "package_size", "is_main"]
    list_filter = ["organisation", "is_main"]
    search_fields = ["reference", "product__name", "supplier__name"]
    list_select_related = ["product", "supplier"]
    raw_id_fields = ["product", "supplier"]


@admin.register(PriceCoefficient)
class PriceCoefficientAdmin(admin.ModelAdmin):
    list_display = ["organisation", "category", "product", "coefficient"]
    list_filter = ["organisation"]
    raw_id_fields = ["product"]


@admin.register(PriceProposal)
class PriceProposalAdmin(ReadOnlyAdmin):
    list_display = ["product", "current_price", "proposed_price", "status", "decided_at"]
    list_filter = ["organisation", "status"]
    list_select_related = ["product"]
    raw_id_fields = ["product", "supplier_item", "decided_by"]


class PurchaseOrderLineInline(ReadOnlyInline):
    model = PurchaseOrderLine
    raw_id_fields = ["product"]


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "supplier", "organisation", "status", "sent_at"]
    list_filter = ["organisation", "status"]
    list_select_related = ["supplier", "organisation"]
    inlines = [PurchaseOrderLineInline]


@admin.register(PurchaseOrderLine)
class PurchaseOrderLineAdmin(ReadOnlyAdmin):
    list_display = ["purchase_order", "product_name", "quantity", "unit_price", "received_quantity"]
    list_select_related = ["purchase_order"]


class ReceptionLineInline(ReadOnlyInline):
    model = ReceptionLine
    raw_id_fields = ["product", "order_line", "counted_by"]


@admin.register(Reception)
class ReceptionAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "purchase_order", "organisation", "status", "validated_at"]
    list_filter = ["organisation", "status"]
    list_select_related = ["supplier", "purchase_order"]
    inlines = [ReceptionLineInline]


@admin.register(ReceptionLine)
class ReceptionLineAdmin(ReadOnlyAdmin):
    list_display = ["reception", "product", "ordered_quantity", "received_quantity", "unit_price"]
    list_select_related = ["reception__supplier", "product"]


@admin.register(SupplierPriceImport)
class SupplierPriceImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "supplier", "organisation", "status", "created_at"]
    list_filter = ["organisation", "status"]
    list_select_related = ["supplier", "organisation"]
    exclude = ["content"]
