"""Background work of the messaging app (django-tasks; the database worker runs them)."""

from __future__ import annotations

from django_tasks import task

MESSAGE_BATCH_SEND_PATH = "cabas.messaging.tasks.message_batch_send"


@task()
def message_batch_send(*, message_id: int) -> dict:
    """Send the next batch of a message, then queue the next (``services.message_batch_send``)."""
    from . import services  # services queue this task: imported when it runs

    report = services.message_batch_send(message_id=message_id)
    return {"sent": report.sent, "left": report.left, "done": report.done}
