from django.contrib import admin

from .models import SummaryDispatch


@admin.register(SummaryDispatch)
class SummaryDispatchAdmin(admin.ModelAdmin):
    """Which summary e-mails were recorded at a sale's cutoff; whether each was sent, and
    when, is in the outbox (Outgoing e-mails, key ``sale-summary:<sale>:…``)."""

    list_display = ["sale", "recipient_kind", "producer", "email", "sent_at"]
    list_filter = ["organisation", "recipient_kind"]
    search_fields = ["email", "producer__name", "sale__title"]
    list_select_related = ["sale", "producer"]
    raw_id_fields = ["organisation", "sale", "producer"]
