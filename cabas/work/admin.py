"""Back-office views of duties and shifts, for edge cases; the pages of the app are the way
coordinators work. Counters are read-only here: a correction goes through the counter page
(``services.counter_correct``) so that it is logged with who and why."""

from django.contrib import admin

from .models import (
    CounterEntry,
    DutyCompensation,
    DutyTemplate,
    Exemption,
    ShiftMember,
    ShiftTemplate,
    Signup,
    TaskType,
    WorkPeriod,
    WorkSettings,
)


@admin.register(WorkSettings)
class WorkSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "duties_open_to", "cycle_weeks", "compensation"]
    raw_id_fields = ["organisation"]


@admin.register(TaskType)
class TaskTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(DutyTemplate)
class DutyTemplateAdmin(admin.ModelAdmin):
    list_display = ["task_type", "pickup_point", "during_pickup", "start_time", "places"]
    list_filter = ["organisation", "is_active"]
    raw_id_fields = ["organisation", "pickup_point", "task_type"]


@admin.register(ShiftTemplate)
class ShiftTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "places", "is_active"]
    list_filter = ["organisation", "week", "weekday"]
    raw_id_fields = ["organisation", "task_type"]


class SignupInline(admin.TabularInline):
    model = Signup
    fk_name = "period"
    extra = 0
    raw_id_fields = ["membership", "replaces", "substitute", "assigned_by", "attendance_by"]
    readonly_fields = ["state", "attendance"]


@admin.register(WorkPeriod)
class WorkPeriodAdmin(admin.ModelAdmin):
    list_display = ["task_type", "kind", "starts_at", "places", "taken", "is_cancelled"]
    list_filter = ["organisation", "kind", "is_cancelled"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organisation", "task_type", "pickup", "duty_template", "shift_template"]
    readonly_fields = ["taken"]
    inlines = [SignupInline]


@admin.register(ShiftMember)
class ShiftMemberAdmin(admin.ModelAdmin):
    list_display = ["membership", "regime", "template", "counter", "negative_since"]
    list_filter = ["organisation", "regime"]
    raw_id_fields = ["organisation", "membership", "template"]
    readonly_fields = ["counter", "negative_since"]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["membership", "starts_on", "ends_on", "reason"]
    list_filter = ["organisation"]
    raw_id_fields = ["organisation", "membership", "recorded_by"]


@admin.register(CounterEntry)
class CounterEntryAdmin(admin.ModelAdmin):
    list_display = ["membership", "delta", "reason", "created_at", "recorded_by", "note"]
    list_filter = ["organisation", "reason"]
    raw_id_fields = ["organisation", "membership", "signup", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(DutyCompensation)
class DutyCompensationAdmin(admin.ModelAdmin):
    list_display = ["membership", "pickup", "hours", "amount", "rule"]
    list_filter = ["organisation", "rule"]
    raw_id_fields = ["organisation", "pickup", "sale", "membership", "producer"]
