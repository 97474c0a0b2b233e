"""The reminders' background work (django-tasks; the database worker runs it).

As ``cabas/work/tasks.py``'s ``work_tick``: ``messaging_tick`` queues its own next run,
``TICK_EVERY`` later, *before* doing its work (an error does not end the chain), and only
when no run is waiting already (starting the chain again adds no second one). The sweep is
idempotent (``services.py``). The tests' ImmediateBackend cannot defer: nothing is queued
there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from cabas.core.tasks import enqueue_on_commit, next_run_schedule

from .. import services as message_services
from . import services

TICK_EVERY = timedelta(minutes=15)


def messaging_tick_schedule(*, now: datetime) -> bool:
    """Queue the next sweep ``TICK_EVERY`` from ``now`` (``core.tasks.next_run_schedule``)."""
    return next_run_schedule(messaging_tick, now=now, every=TICK_EVERY)


@task()
def messaging_tick() -> dict:
    """The reminders' sweep (``services.messaging_tick``), then the next one queued; and the
    coordinators' messages whose chain of batches was lost are taken up again."""
    now = timezone.now()
    messaging_tick_schedule(now=now)
    report = services.messaging_tick(now=now).as_dict()
    report["messages_resumed"] = message_services.messages_resume(now=now)
    return report


@task()
def pickup_point_moved_notify(*, pickup_point_id: int) -> int:
    """E-mail the members whose pickup is at a point that moved (idempotent)."""
    return services.pickup_point_moved_notify(pickup_point_id=pickup_point_id, now=timezone.now())


def pickup_point_moved_received(sender, *, pickup_point_id: int, **kwargs) -> None:
    """Receiver of ``cabas.sales.signals.pickup_point_moved`` (connected in apps.py):
    enqueue the e-mails, nothing else."""
    enqueue_on_commit(pickup_point_moved_notify, pickup_point_id=pickup_point_id)
