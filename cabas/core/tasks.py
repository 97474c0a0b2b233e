"""Enqueueing tasks: always after the transaction commits, with primary keys only."""

from datetime import datetime
from functools import partial

from django.db import transaction


def _enqueue(task, run_after: datetime | None, kwargs: dict) -> None:
    if run_after is None:
        task.enqueue(**kwargs)
    elif task.get_backend().supports_defer:
        task.using(run_after=run_after).enqueue(**kwargs)


def enqueue_on_commit(task, *, run_after: datetime | None = None, **kwargs) -> None:
    """Enqueue ``task`` once the current transaction commits (never for a rolled-back write).

    ``run_after`` defers it; a backend that cannot defer (the tests' ImmediateBackend) gets no
    deferred task, and the caller's periodic sweep does the work instead.
    """
    transaction.on_commit(partial(_enqueue, task, run_after, kwargs))


def next_run_schedule(task, *, now: datetime, every) -> bool:
    """A periodic sweep's chain: queue ``task`` to run again ``every`` after ``now``, unless
    a run is already waiting (a restarted chain does not fork) or the backend cannot defer
    tasks. The sweep calls it first thing, so a crash in its work keeps the chain. True when
    one was queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    task.using(run_after=now + every).enqueue()
    return True
