"""Messages in the back office: settings and reminder texts can be fixed here; messages and
their recipients move through their services (sending, batches, the outbox): read here,
never added or changed."""

from django.contrib import admin

from .models import Message, MessageRecipient, MessagingSettings, ReminderText


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecipientInline(admin.TabularInline):
    model = MessageRecipient
    extra = 0
    fields = ["email", "skipped", "outbox"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["subject", "organisation", "audience", "state", "sent_at", "recipient_count"]
    list_filter = ["state", "audience", "organisation"]
    search_fields = ["subject"]
    list_select_related = ["organisation"]


@admin.register(MessageRecipient)
class MessageRecipientAdmin(ReadOnlyAdmin):
    list_display = ["email", "message", "skipped", "outbox"]
    list_filter = ["skipped"]
    search_fields = ["email"]
    raw_id_fields = ["message", "membership", "outbox"]
    list_select_related = ["message", "outbox"]


@admin.register(MessagingSettings)
class MessagingSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "batch_size", "batch_interval_seconds"]


@admin.register(ReminderText)
class ReminderTextAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "language", "subject"]
    list_filter = ["kind", "language"]
