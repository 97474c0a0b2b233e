from django.contrib import admin

from .models import Basket, BasketLine, Order, OrderEvent, OrderLine, SaleOrderCounter


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["product_name", "quantity", "unit_price", "vat_rate", "amount"]
    readonly_fields = fields
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read mostly: orders change through the shop's services (counters, e-mails)."""

    list_display = ["number", "sale", "user", "status", "pickup", "slot", "total", "created_at"]
    list_filter = ["organisation", "status"]
    search_fields = ["user__email", "user__last_name", "number"]
    list_select_related = ["sale", "user", "pickup__pickup_point", "slot"]
    readonly_fields = ["organisation", "sale", "user", "number", "status", "pickup", "slot",
                       "total", "cancelled_at", "code"]  # fmt: skip
    inlines = [OrderLineInline]


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ["order", "product_name", "quantity", "unit_price", "amount"]
    list_filter = ["organisation"]
    raw_id_fields = ["order", "sale_item", "product", "producer"]


@admin.register(SaleOrderCounter)
class SaleOrderCounterAdmin(admin.ModelAdmin):
    list_display = ["sale", "last_number"]


class BasketLineInline(admin.TabularInline):
    model = BasketLine
    extra = 0
    raw_id_fields = ["sale_item"]


@admin.register(Basket)
class BasketAdmin(admin.ModelAdmin):
    list_display = ["sale", "user", "updated_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["sale", "user", "order"]
    inlines = [BasketLineInline]


admin.site.register(BasketLine)


@admin.register(OrderEvent)
class OrderEventAdmin(admin.ModelAdmin):
    list_display = ["order", "kind", "by", "at", "reason"]
    list_filter = ["organisation", "kind"]
    list_select_related = ["order", "by"]
    raw_id_fields = ["order", "by"]
