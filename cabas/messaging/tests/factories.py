"""Messages for tests, written and sent through the real services."""

from __future__ import annotations

from cabas.messaging import services
from cabas.messaging.models import Audience, Message


def draft(organisation, *, by=None, audience=Audience.ALL_MEMBERS, **fields) -> Message:
    fields.setdefault("subject", "Le point de Cordes déménage")
    fields.setdefault("body", "Cette semaine, rendez-vous **sur le parking**.")
    return services.message_save(organisation=organisation, by=by, audience=audience, **fields)


def sent(organisation, *, by=None, **fields) -> Message:
    """A message sent, its batches run (the after-commit task, run here as the worker would)."""
    from django.test import TestCase

    message = draft(organisation, by=by, **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = services.message_send(message=message, by=by)
    message.refresh_from_db()
    return message
