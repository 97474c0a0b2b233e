"""The rollup's background work (django-tasks; the database worker runs it). As the other
ticks (``cabas/messaging/reminders/tasks.py``): ``rollups_sweep`` queues its own next run
before its work."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from cabas.core.tasks import enqueue_on_commit, next_run_schedule

from . import rollup

SWEEP_EVERY = timedelta(minutes=15)


@task()
def sale_rollup_refresh(*, sale_id: int) -> bool:
    return rollup.sale_rollup_refresh(sale_id=sale_id)


@task()
def rollups_sweep() -> int:
    """Refresh the stale and missing rollups of closed sales (a batch), then the next sweep."""
    now = timezone.now()
    rollups_sweep_schedule(now=now)
    due = rollup.rollups_due()
    for sale_id in due:
        rollup.sale_rollup_refresh(sale_id=sale_id, now=now)
    return len(due)


def rollups_sweep_schedule(*, now) -> bool:
    """Queue the next sweep ``SWEEP_EVERY`` from ``now`` (``core.tasks.next_run_schedule``;
    ``manage.py rollups_sweep`` and ``make run`` start the chain)."""
    return next_run_schedule(rollups_sweep, now=now, every=SWEEP_EVERY)


def sale_closed_received(sender, *, sale_id: int, **kwargs) -> None:
    """Receiver of ``cabas.sales.signals.sale_closed``: enqueue the sale's rollup."""
    enqueue_on_commit(sale_rollup_refresh, sale_id=sale_id)


def lines_changed_received(sender, *, order_ids, **kwargs) -> None:
    """Receiver of ``cabas.orders.signals.lines_changed``, inside the changing transaction:
    the orders' sales' rollups are marked stale there (read live meanwhile); the sweep
    refreshes them (not one task per weighing on distribution day)."""
    from cabas.orders.models import Order

    sale_ids = set(Order.objects.filter(pk__in=order_ids).values_list("sale_id", flat=True))
    if not sale_ids:
        return
    rollup.sales_mark_stale(sale_ids=sale_ids)
