"""Sending the reminders recorded by one sweep: one task for all of them (not one per
e-mail), each sent at most as the outbox says; a row this task did not reach (its worker
died) is sent by the outbox's sweep a lease later."""

from __future__ import annotations

from django_tasks import task

from cabas.notifications.services import outbox_messages_send


@task()
def reminders_send(*, outbox_ids: list[int]) -> int:
    return outbox_messages_send(outbox_ids=outbox_ids)
