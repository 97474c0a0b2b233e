from django.contrib import admin

from .models import PickupPoint


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "town", "address"]
