"""Back office for edge cases. Counters (booked, quantity ordered) are read-only here: they
only change through the services."""

from django.contrib import admin

from .models import (
    ClosingPeriod,
    Drive,
    DriveHours,
    Pickup,
    PickupPoint,
    Sale,
    SaleItem,
    SalesSettings,
    Schedule,
    SchedulePickup,
    Slot,
)


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "town", "address"]


class PickupInline(admin.TabularInline):
    model = Pickup
    fields = ["pickup_point", "starts_at", "ends_at", "slot_mode", "capacity", "booked"]
    readonly_fields = ["booked"]
    extra = 0
    show_change_link = True


@admin.register(Sale)
class SaleAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "status", "opens_at", "closes_at"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["title"]
    date_hierarchy = "closes_at"
    readonly_fields = ["occurrence_date", "opened_at", "closed_at", "after_cutoff_at"]
    raw_id_fields = ["schedule"]
    filter_horizontal = ["excluded_producers"]
    inlines = [PickupInline]


class SlotInline(admin.TabularInline):
    model = Slot
    fields = ["starts_at", "ends_at", "capacity", "booked", "is_open"]
    readonly_fields = ["booked"]
    extra = 0


@admin.register(Pickup)
class PickupAdmin(admin.ModelAdmin):
    list_display = ["pickup_point", "sale", "starts_at", "ends_at", "slot_mode", "booked"]
    list_filter = ["slot_mode", "organisation"]
    readonly_fields = ["booked"]
    raw_id_fields = ["sale", "pickup_point"]
    inlines = [SlotInline]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["pickup", "starts_at", "ends_at", "capacity", "booked", "is_open"]
    list_filter = ["is_open", "organisation"]
    readonly_fields = ["booked"]
    raw_id_fields = ["pickup"]


@admin.register(SaleItem)
class SaleItemAdmin(admin.ModelAdmin):
    list_display = [
        "product",
        "sale",
        "is_excluded",
        "is_unavailable",
        "quantity_available",
        "quantity_ordered",
    ]
    list_filter = ["is_excluded", "is_unavailable", "organisation"]
    readonly_fields = ["quantity_ordered"]
    raw_id_fields = ["sale", "product"]


@admin.register(SalesSettings)
class SalesSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "minimum_order_amount"]


@admin.register(ClosingPeriod)
class ClosingPeriodAdmin(admin.ModelAdmin):
    list_display = ["organisation", "first_day", "last_day", "reason"]
    list_filter = ["organisation"]


class SchedulePickupInline(admin.TabularInline):
    model = SchedulePickup
    extra = 0


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "every_n_weeks", "weeks_ahead", "is_active"]
    list_filter = ["is_active", "organisation"]
    inlines = [SchedulePickupInline]


@admin.register(SchedulePickup)
class SchedulePickupAdmin(admin.ModelAdmin):
    list_display = ["schedule", "pickup_point", "weekday", "starts_time", "ends_time"]
    list_filter = ["organisation"]


@admin.register(Drive)
class DriveAdmin(admin.ModelAdmin):
    list_display = ["organisation", "pickup_point", "slot_minutes", "slot_capacity", "is_active"]


@admin.register(DriveHours)
class DriveHoursAdmin(admin.ModelAdmin):
    list_display = ["organisation", "weekday", "starts_time", "ends_time"]
    list_filter = ["organisation", "weekday"]
