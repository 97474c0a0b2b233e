from django.contrib import admin

from .models import OutboxAttachment, OutboxMessage, TaskWorker, UndeliverableAddress


class OutboxAttachmentInline(admin.TabularInline):
    model = OutboxAttachment
    fields = ["filename", "mimetype"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What e-mails went out, which wait, which failed and why. Read only: the worker owns the
    states (see cabas/notifications/services.py)."""

    list_display = ["key", "to", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "organisation"]
    search_fields = ["key", "to", "subject", "message_id"]
    raw_id_fields = ["organisation"]
    inlines = [OutboxAttachmentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(TaskWorker)
class TaskWorkerAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OutboxAttachment)
class OutboxAttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "mimetype", "message"]
    raw_id_fields = ["message"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(UndeliverableAddress)
class UndeliverableAddressAdmin(admin.ModelAdmin):
    """Fixable here too (the coordinators' page "Undeliverable addresses" is the usual way)."""

    list_display = ["email", "reason", "provider", "updated_at"]
    list_filter = ["reason", "provider"]
    search_fields = ["email"]
