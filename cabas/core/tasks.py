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
