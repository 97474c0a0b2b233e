"""Importing a producer's DFC catalog, from an address or a file, and reading it again.

One import pipeline: a DFC catalog becomes a ``catalog.ProductImport`` of format ``dfc``
(read by ``catalog_reading``), checked by the worker, previewed on the product import's
page and applied all or nothing when a person confirms it.

- ``catalog_source_start``: a person gives an address (kept as a ``CatalogSource``, with its
  refresh option) or a file. An address is fetched by the worker (``tasks``), never during
  the request nor while a lock is held; a file is checked like any product file.
- ``catalog_source_refresh``: the scheduled reading of an address (daily or weekly; the sweep
  ``catalog_sources_sweep`` in ``tasks``). No one is there to confirm, so a catalog whose
  check finds no error is applied at once; one with errors applies nothing and its errors
  stay on the source (``last_error``, shown on the DFC import page) and on the import. A
  catalog identical to the last one applied writes nothing, not even an import.
- Crash safety: the refresh first claims the source (``next_refresh_at`` moved ``LEASE``
  ahead, so two sweeps never read it twice at once); only its completion, or an error it
  recorded, sets the next reading. A worker killed in between leaves no half import (the
  apply is one transaction) and the source is read again once the lease is over.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cabas.catalog import imports
from cabas.catalog.models import ProductImport
from cabas.core.tasks import enqueue_on_commit

from . import catalog_reading, fetching, tasks
from .models import CatalogSource

LEASE = timedelta(hours=1)
INTERVALS = {
    CatalogSource.Refresh.DAILY: timedelta(days=1),
    CatalogSource.Refresh.WEEKLY: timedelta(days=7),
}
ERRORS_KEPT = 3


def next_refresh(refresh: str, now):
    interval = INTERVALS.get(refresh)
    return now + interval if interval else None


@transaction.atomic
def catalog_source_start(
    *, organisation, producer, user, url: str = "", file_name: str = "", content: bytes = b"",
    refresh: str = CatalogSource.Refresh.NEVER, only_own_producer: bool, now=None,
) -> ProductImport:  # fmt: skip
    """Keep the source (an address, with its refresh option; a file has none) and start its
    import; the worker fetches an address, then checks."""
    now = now or timezone.now()
    if url:
        source, created = CatalogSource.objects.get_or_create(
            organisation=organisation, producer=producer, url=url,
            defaults={"created_by": user, "refresh": refresh},
        )  # fmt: skip
        source.refresh = refresh
    else:
        refresh = CatalogSource.Refresh.NEVER
        source = CatalogSource.objects.filter(
            organisation=organisation, producer=producer, url=""
        ).first() or CatalogSource(organisation=organisation, producer=producer, url="")
        source.created_by_id = source.created_by_id or user.pk
    product_import = imports.product_import_start(
        organisation=organisation,
        uploaded_by=user,
        file_name=url or file_name,
        content=b"" if url else content,
        producer=producer,
        only_own_producer=only_own_producer,
        file_format=catalog_reading.FORMAT,
        check=not url,
    )
    source.refresh = refresh
    source.next_refresh_at = next_refresh(refresh, now)
    source.last_import = product_import
    source.last_error = ""
    source.save()
    if url:
        enqueue_on_commit(
            tasks.catalog_source_fetch, source_id=source.pk, import_id=product_import.pk
        )
    return product_import


def catalog_source_fetch(*, source: CatalogSource, product_import: ProductImport) -> str:
    """The worker's part of a person's import from an address: fetch, then check (the
    person then confirms on the import's page)."""
    if product_import.status != ProductImport.Status.CHECKING:
        return product_import.status  # a retried task does nothing twice
    try:
        content = fetching.fetch_catalog(source.url)
    except fetching.FetchRefused as exc:
        imports.product_import_refuse(product_import=product_import, reason=str(exc))
        _record(source, error=str(exc))
        return ProductImport.Status.INVALID
    done = imports.product_import_check_content(product_import=product_import, content=content)
    _record(source, error=_errors_text(done))
    return done.status


def catalog_sources_due(*, now) -> list[int]:
    """The sources to read again now (an address, a refresh option, their time come)."""
    return list(
        CatalogSource.objects.filter(next_refresh_at__lte=now)
        .exclude(Q(url="") | Q(refresh=CatalogSource.Refresh.NEVER))
        .order_by("next_refresh_at", "pk")
        .values_list("pk", flat=True)
    )


def catalog_source_refresh(*, source_id: int, now=None) -> str:
    """Read a due source again and apply it when its check finds no error (the module).
    Answers what happened: "not_due", "refused", "unchanged", "invalid" or "done"."""
    now = now or timezone.now()
    claimed = (
        CatalogSource.objects.filter(pk=source_id, next_refresh_at__lte=now)
        .exclude(Q(url="") | Q(refresh=CatalogSource.Refresh.NEVER))
        .update(next_refresh_at=now + LEASE)
    )
    if not claimed:
        return "not_due"
    source = CatalogSource.objects.select_related("organisation", "producer", "last_import").get(
        pk=source_id
    )
    try:
        content = fetching.fetch_catalog(source.url)
    except fetching.FetchRefused as exc:
        _record(source, error=str(exc), now=now)
        return "refused"
    last = source.last_import
    if (
        last is not None
        and last.status == ProductImport.Status.DONE
        and (bytes(last.content) == content)
    ):
        _record(source, error="", now=now)
        return "unchanged"
    with transaction.atomic():
        product_import = imports.product_import_start(
            organisation=source.organisation,
            uploaded_by=source.created_by,
            file_name=source.url,
            content=content,
            producer=source.producer,
            only_own_producer=False,
            file_format=catalog_reading.FORMAT,
            check=False,
        )
    product_import = imports.product_import_check(product_import=product_import)
    if product_import.status == ProductImport.Status.READY:
        product_import = imports.product_import_apply_unattended(product_import=product_import)
    _record(source, error=_errors_text(product_import), now=now, last_import=product_import)
    return "done" if product_import.status == ProductImport.Status.DONE else "invalid"


def _errors_text(product_import: ProductImport) -> str:
    """The first errors of an import, one a line ("" without errors)."""
    lines = [
        " · ".join(str(part) for part in (error["column"], error["reason"]) if part)
        for error in product_import.errors[:ERRORS_KEPT]
    ]
    if product_import.error_count > ERRORS_KEPT:
        lines.append(f"(+{product_import.error_count - ERRORS_KEPT})")
    return "\n".join(lines)


def _record(source: CatalogSource, *, error: str, now=None, last_import=None) -> None:
    """What a reading of the source ended with; with ``now``, a refresh: the next one."""
    values = {"last_error": error}
    if now is not None:
        values["next_refresh_at"] = next_refresh(source.refresh, now)
    if last_import is not None:
        values["last_import"] = last_import
    CatalogSource.objects.filter(pk=source.pk).update(**values)
