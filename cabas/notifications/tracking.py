"""The e-mail provider's reports (django-anymail's ``tracking`` signal, sent by its webhook
views under /anymail/): a hard bounce, a spam complaint or a rejection marks the address
undeliverable; every other event (delivered, deferred, a soft bounce, opened...) is ignored.

The webhook's only guard is its basic-auth secret (``ANYMAIL["WEBHOOK_SECRET"]``): without
one, anybody could post a fake bounce and silence a member, so the events are then ignored.
"""

from __future__ import annotations

import logging

from anymail.signals import EventType, RejectReason
from django.conf import settings

from .deliverability import Reason, address_undeliverable_mark

logger = logging.getLogger(__name__)

REASONS = {
    EventType.BOUNCED: Reason.BOUNCED,
    EventType.COMPLAINED: Reason.COMPLAINED,
    EventType.REJECTED: Reason.REJECTED,
}

# Providers that report a temporary failure as a "bounced" event: how to tell it from a hard
# bounce in their own payload (the mailbox may work again tomorrow).
SOFT_BOUNCE = {
    "Brevo": lambda esp: esp.get("event") == "soft_bounce",
    "SendinBlue": lambda esp: esp.get("event") == "soft_bounce",
    "Mailjet": lambda esp: esp.get("hard_bounce") is False,
    "Mandrill": lambda esp: esp.get("event") == "soft_bounce",
    "Postmark": lambda esp: esp.get("Type") == "SoftBounce",
    "MailerSend": lambda esp: (esp.get("data") or {}).get("type") == "soft_bounced",
}


def _soft_bounce(event, esp_name: str) -> bool:
    test = SOFT_BOUNCE.get(esp_name)
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    return test is not None and test(esp_event)


def tracking_event_receive(sender, event, esp_name, **kwargs) -> None:
    """Receiver of anymail's ``tracking`` signal (connected in NotificationsConfig.ready)."""
    reason = REASONS.get(event.event_type)
    recipient = (event.recipient or "").strip()
    if reason is None or "@" not in recipient or len(recipient) > 254:
        return
    if event.event_type == EventType.BOUNCED and _soft_bounce(event, esp_name):
        return
    # A rejection for the message itself (Mailjet's "duplicate in campaign"), not the address.
    if event.event_type == EventType.REJECTED and event.reject_reason == RejectReason.OTHER:
        return
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        logger.warning("Unsecured e-mail webhook (no ANYMAIL_WEBHOOK_SECRET): event ignored")
        return
    detail = event.mta_response or event.description or event.reject_reason or ""
    address_undeliverable_mark(
        email=recipient, reason=reason, detail=str(detail), provider=esp_name
    )
