"""The supply app's periodic sweep as a task (django-tasks; the database worker runs it).

As ``cabas/work/tasks.py``'s ``work_tick``: ``supply_tick`` queues its own next run,
``TICK_EVERY`` later, *before* doing its work (an error does not end the chain), and only
when no run is waiting already (starting the chain again adds no second one). The sweep is
idempotent (``services/weekly.py``). The tests' ImmediateBackend cannot defer: nothing is
queued there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from cabas.core.tasks import next_run_schedule

from . import services

TICK_EVERY = timedelta(minutes=15)


def supply_tick_schedule(*, now: datetime) -> bool:
    """Queue the next sweep ``TICK_EVERY`` from ``now`` (``core.tasks.next_run_schedule``)."""
    return next_run_schedule(supply_tick, now=now, every=TICK_EVERY)


@task()
def supply_tick() -> dict:
    """The supply sweep (``services.supply_tick``), then the next one queued."""
    now = timezone.now()
    supply_tick_schedule(now=now)
    return services.supply_tick(now=now).as_dict()
