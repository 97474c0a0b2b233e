"""Background work of the work app (django-tasks; the database worker runs them).

How the sweep runs periodically: ``work_tick`` queues its own next run, ``TICK_EVERY``
later (a deferred task, ``run_after``), *before* doing its work, so an error in one sweep
does not end the chain. It queues it only when no run is waiting already, so starting the
chain again (``make run`` runs ``manage.py work_tick`` at each start, cron may too) adds
no second chain; if two starts race and make two, the next runs see each other's waiting
task and the chains merge back into one. A worker that dies during a sweep loses nothing:
the task is taken again after its lease, and the sweep is idempotent
(``services/tick.py``). The tests' ImmediateBackend cannot defer: nothing is queued there.

Why not a thread in the worker (like its upkeep) or a loop in ``bin/run-dev``: the worker
belongs to the notifications app, below this one, and a shell loop runs only with
``make run``; a deferred task runs wherever a worker runs, on any deployment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from cabas.core.tasks import enqueue_on_commit, next_run_schedule

from . import services

TICK_EVERY = timedelta(minutes=15)
WORK_TICK_PATH = "cabas.work.tasks.work_tick"


def work_tick_schedule(*, now: datetime) -> bool:
    """Queue the next sweep ``TICK_EVERY`` from ``now`` (``core.tasks.next_run_schedule``)."""
    return next_run_schedule(work_tick, now=now, every=TICK_EVERY)


@task()
def work_tick() -> dict:
    """The sweep of duties and shifts (``services.work_tick``), then the next one queued."""
    now = timezone.now()
    work_tick_schedule(now=now)
    return services.work_tick(now=now).as_dict()


@task()
def duties_generate_for_pickups(*, pickup_ids: list[int]) -> int:
    """Make the duties new pickups need, from the duty templates (idempotent)."""
    return services.duties_generate_for_pickups(pickup_ids=pickup_ids)


def pickups_saved_received(sender, *, pickup_ids: list[int], **kwargs) -> None:
    """Receiver of ``cabas.sales.signals.pickups_saved`` (connected in apps.py): enqueue
    the pickups' duties, nothing else."""
    enqueue_on_commit(duties_generate_for_pickups, pickup_ids=list(pickup_ids))
