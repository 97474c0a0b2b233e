"""The rollup's background work (django-tasks; the database worker runs it). As the other
ticks (``cabas/messaging/reminders/tasks.py``): ``rollups_sweep`` queues its own next run
before its work."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from cabas.core.tasks import enqueue_on_commit, next_run_schedule
from cabas.orgs.models import Organisation

from . import rollup, snapshots

SWEEP_EVERY = timedelta(minutes=15)


@task()
def sale_rollup_refresh(*, sale_id: int) -> bool:
    """The sale's rollup, then its organisation's dashboards' default view
    (``snapshots.organisation_dashboards_refresh``): a closed sale shows at once."""
    refreshed = rollup.sale_rollup_refresh(sale_id=sale_id)
    organisation = Organisation.objects.filter(sales__pk=sale_id, is_active=True).first()
    if organisation is not None:
        snapshots.organisation_dashboards_refresh(organisation=organisation)
    return refreshed


@task()
def rollups_sweep() -> int:
    """Refresh the stale and missing rollups of closed sales (a batch), then every active
    organisation's dashboards' default view (``snapshots.dashboards_refresh``), then the next
    sweep."""
    now = timezone.now()
    rollups_sweep_schedule(now=now)
    return sweep_run(now=now)


def sweep_run(*, now) -> int:
    """The sweep's work (the task's and ``manage.py rollups_sweep``'s): the due rollups, then
    the dashboards' default views. Returns the rollups refreshed."""
    due = rollup.rollups_due()
    for sale_id in due:
        rollup.sale_rollup_refresh(sale_id=sale_id, now=now)
    snapshots.dashboards_refresh()
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
