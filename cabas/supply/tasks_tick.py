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
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import services

TICK_EVERY = timedelta(minutes=15)
SUPPLY_TICK_PATH = "cabas.supply.tasks_tick.supply_tick"


def supply_tick_schedule(*, now: datetime) -> bool:
    """Queue the next sweep ``TICK_EVERY`` from ``now`` unless one is waiting already (or
    the backend cannot defer tasks). True when one was queued."""
    backend = supply_tick.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=SUPPLY_TICK_PATH, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    supply_tick.using(run_after=now + TICK_EVERY).enqueue()
    return True


@task()
def supply_tick() -> dict:
    """The supply sweep (``services.supply_tick``), then the next one queued."""
    now = timezone.now()
    supply_tick_schedule(now=now)
    return services.supply_tick(now=now).as_dict()
