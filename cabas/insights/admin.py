from django.contrib import admin

from .models import (
    SaleBuyer,
    SaleFigures,
    SaleMember,
    SalePickupHandouts,
    SalePointFigures,
    SaleProducerFigures,
    SaleProductBuyer,
    SaleRollup,
)


@admin.register(SaleRollup)
class SaleRollupAdmin(admin.ModelAdmin):
    """Which sales have a dashboard rollup, fresh or stale (``insights.rollup``): read only,
    the worker writes them."""

    list_display = ["sale", "fresh", "refreshed_at"]
    list_filter = ["fresh"]
    raw_id_fields = ["sale"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _RowAdmin(admin.ModelAdmin):
    list_filter = ["organisation"]
    raw_id_fields = ["organisation", "rollup", "pickup_point"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SaleFigures)
class SaleFiguresAdmin(_RowAdmin):
    list_display = ["rollup", "week", "pickup_point", "producer", "vat_rate", "amount", "orders"]
    raw_id_fields = [*_RowAdmin.raw_id_fields, "producer"]


@admin.register(SaleBuyer)
class SaleBuyerAdmin(_RowAdmin):
    list_display = ["rollup", "week", "pickup_point", "producer", "user"]
    raw_id_fields = [*_RowAdmin.raw_id_fields, "producer", "user"]


@admin.register(SaleMember)
class SaleMemberAdmin(_RowAdmin):
    list_display = ["rollup", "week", "pickup_point", "user", "with_lines"]
    raw_id_fields = [*_RowAdmin.raw_id_fields, "user"]


@admin.register(SalePointFigures)
class SalePointFiguresAdmin(_RowAdmin):
    list_display = ["rollup", "week", "pickup_point", "vat_rate", "amount", "point_orders"]


@admin.register(SaleProducerFigures)
class SaleProducerFiguresAdmin(_RowAdmin):
    list_display = ["rollup", "week", "producer", "vat_rate", "amount", "orders"]
    raw_id_fields = ["organisation", "rollup", "producer"]


@admin.register(SaleProductBuyer)
class SaleProductBuyerAdmin(_RowAdmin):
    list_display = ["rollup", "closes_at", "pickup_point", "producer", "product", "user", "amount"]
    raw_id_fields = [*_RowAdmin.raw_id_fields, "producer", "product", "user"]


@admin.register(SalePickupHandouts)
class SalePickupHandoutsAdmin(_RowAdmin):
    list_display = ["rollup", "closes_at", "pickup", "closed", "handed", "no_shows"]
    raw_id_fields = [*_RowAdmin.raw_id_fields, "pickup"]
