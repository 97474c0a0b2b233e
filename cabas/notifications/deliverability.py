"""Which addresses can still be written to, and the headers of bulk e-mails.

An address reported by the e-mail provider as undeliverable (a hard bounce, a complaint, a
rejection; the provider's webhook, through django-anymail) is recorded once; the outbox then
skips it (``services.outbox_message_send``) and the coordinators see it. Bulk e-mails carry
the one-click unsubscribe headers of RFC 8058.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import UndeliverableAddress

Reason = UndeliverableAddress.Reason


def address_undeliverable_mark(
    *, email: str, reason: str, detail: str = "", provider: str = ""
) -> UndeliverableAddress:
    """Record that ``email`` cannot be written to (again: the latest reason wins)."""
    if reason not in Reason.values:
        raise ValueError(f"unknown reason {reason!r}")
    address, _created = UndeliverableAddress.objects.update_or_create(
        email=email.strip().lower(),
        defaults={"reason": reason, "detail": detail[:500], "provider": provider[:50]},
    )
    return address


def address_deliverable_mark(*, email: str) -> bool:
    """Write to ``email`` again (the person fixed their mailbox); True when it was listed."""
    deleted, _ = UndeliverableAddress.objects.filter(email=email.strip().lower()).delete()
    return bool(deleted)


def undeliverable_among(emails: Iterable[str]) -> set[str]:
    """The addresses of ``emails`` (lower case) that are listed as undeliverable: one query."""
    wanted = {email.strip().lower() for email in emails if email}
    if not wanted:
        return set()
    return set(
        UndeliverableAddress.objects.filter(email__in=wanted).values_list("email", flat=True)
    )


def bulk_headers(*, unsubscribe_url: str) -> dict[str, str]:
    """The headers of a bulk e-mail: one-click unsubscribe (RFC 8058: the mail client POSTs
    ``List-Unsubscribe=One-Click`` to the https address, no page to open), and marks that stop
    auto-replies."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }
