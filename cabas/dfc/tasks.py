"""The DFC side's background work: fetching a catalog a person asked for, and the periodic
sweep reading the catalogs with a refresh option again (``catalog_sources``). As the other
ticks (``cabas/insights/tasks.py``): the sweep queues its own next run before its work."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from cabas.core.tasks import next_run_schedule

SWEEP_EVERY = timedelta(minutes=30)


@task()
def catalog_source_fetch(*, source_id: int, import_id: int) -> str:
    from cabas.catalog.models import ProductImport

    from . import catalog_sources
    from .models import CatalogSource

    source = CatalogSource.objects.get(pk=source_id)
    product_import = ProductImport.objects.select_related("organisation", "producer").get(
        pk=import_id
    )
    return catalog_sources.catalog_source_fetch(source=source, product_import=product_import)


@task()
def catalog_source_refresh(*, source_id: int) -> str:
    from . import catalog_sources

    return catalog_sources.catalog_source_refresh(source_id=source_id)


@task()
def catalog_sources_sweep() -> int:
    """Queue a refresh of every due source (each claims its source), then the next sweep."""
    from . import catalog_sources

    now = timezone.now()
    catalog_sources_sweep_schedule(now=now)
    due = catalog_sources.catalog_sources_due(now=now)
    for source_id in due:
        catalog_source_refresh.enqueue(source_id=source_id)
    return len(due)


def catalog_sources_sweep_schedule(*, now) -> bool:
    """Queue the next sweep ``SWEEP_EVERY`` from ``now`` (``manage.py dfc_catalogs_refresh``
    and ``make run`` start the chain)."""
    return next_run_schedule(catalog_sources_sweep, now=now, every=SWEEP_EVERY)
