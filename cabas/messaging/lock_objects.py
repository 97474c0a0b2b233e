"""The messaging app's locks (the global order: organisation-level rows, of which a message
is one, come before everything of a sale)."""

from __future__ import annotations

from .models import Message


def message_lock(*, message_id: int) -> Message:
    """Lock one message (sending it twice at once: the second waits, then sees it sent)."""
    return Message.objects.select_for_update().get(pk=message_id)
